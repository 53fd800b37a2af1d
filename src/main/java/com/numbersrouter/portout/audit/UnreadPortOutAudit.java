package com.numbersrouter.portout.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.ingress.PortOutRefusals;
import com.numbersrouter.ingress.WebhookCredentials;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutValidationRequest;
import com.numbersrouter.portout.TelephoneNumbers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the audit journal the port-outs that the servlet filters or the authentication answered before the
 * routes decided them (at a bound, too slow, oversize, refused for their credentials, before any route served): the
 * journal holds the answers Bandwidth was given, and the fail mode's 7599 lets the port proceed.
 *
 * <p>These answers come when the node is short of something (threads, memory, routes), often in a flood, so nothing
 * here holds the request's thread: each record is queued once the answer is written and written by threads of their
 * own, whose disk syncs are shared. A full queue drops it, counted as unrecorded (the alert on unrecorded decisions
 * pages).
 *
 * <p>The filters answer before the credentials are checked, and Bandwidth's own first request in the challenge flow
 * has none: a record keeps the PON and numbers its body names either way, marked {@code authenticated=false} when
 * the request had no valid credentials (a stranger may have written them; the decisions queue carries the mark, so a
 * CRM that notifies subscribers can leave them out). So that strangers cannot fill the disk or the broker with such
 * records, they name at most 10 numbers, each a telephone number, and are written at most one a second (bursts of
 * 10); the rest are counted, and a fail-open answer (7599: the port proceeds) among them as unrecorded, which pages.
 */
public class UnreadPortOutAudit implements PortOutRefusals.Audit, AutoCloseable {

    /** Bodies up to this size are parsed for their PON and numbers (a port-out request is a few KB). */
    static final int MAX_PARSED_BODY = 64 * 1024;
    /** A record names at most this many numbers, whatever the body lists (the rules' default limit is 100). */
    static final int MAX_RECORDED_NUMBERS = 100;
    /** ... and at most this many, each a telephone number, for a request without valid credentials. */
    static final int MAX_UNAUTHENTICATED_NUMBERS = 10;
    /** A PON from a request without valid credentials is kept to this length. */
    static final int MAX_UNAUTHENTICATED_PON = 64;
    static final int QUEUE = 256;
    static final int WRITERS = 4;
    static final int STRANGERS_PER_SECOND = 1;
    static final int STRANGERS_BURST = 10;
    private static final Logger LOG = LoggerFactory.getLogger("numbers-router.portout");

    private final PortOutGatekeeper gatekeeper;
    private final PortOutDecisionJournal journal;
    private final XmlMapper safeXmlMapper;
    private final WebhookCredentials credentials;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ThreadPoolExecutor writers;
    private final Counter queueFull;
    private final Counter strangersSkipped;
    private final Counter afterShutdown;
    private final Counter unrecorded;
    // the strangers' token bucket, guarded by this
    private double tokens = STRANGERS_BURST;
    private long refilledAt;

    public UnreadPortOutAudit(PortOutGatekeeper gatekeeper, PortOutDecisionJournal journal, XmlMapper safeXmlMapper,
            WebhookCredentials credentials, MeterRegistry meters) {
        this(gatekeeper, journal, safeXmlMapper, credentials, meters, Clock.systemUTC(), System::nanoTime);
    }

    UnreadPortOutAudit(PortOutGatekeeper gatekeeper, PortOutDecisionJournal journal, XmlMapper safeXmlMapper,
            WebhookCredentials credentials, MeterRegistry meters, Clock clock, LongSupplier nanoTime) {
        this.gatekeeper = gatekeeper;
        this.journal = journal;
        this.safeXmlMapper = safeXmlMapper;
        this.credentials = credentials;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.refilledAt = nanoTime.getAsLong();
        // started now and kept: under the overload these records come in, a new thread may not be had
        this.writers = new ThreadPoolExecutor(WRITERS, WRITERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "portout-unread-audit");
                    thread.setDaemon(true);
                    return thread;
                });
        writers.prestartAllCoreThreads();
        String description = "Port-outs answered before the routes whose audit record was not written: the queue to"
                + " the journal was full, or more came without valid credentials than are recorded (10 a second)";
        this.queueFull = Counter.builder("numbers.router.portout.unread.skipped").tag("why", "queue-full")
                .description(description).register(meters);
        this.strangersSkipped = Counter.builder("numbers.router.portout.unread.skipped").tag("why", "no-credentials")
                .description(description).register(meters);
        this.afterShutdown = Counter.builder("numbers.router.portout.unread.skipped").tag("why", "shutdown")
                .description(description).register(meters);
        // the journal's own counter: what the NumbersRouterPortOutDecisionsUnrecorded alert reads
        this.unrecorded = meters.counter("numbers.router.portout.decisions.unrecorded");
    }

    @Override
    public void answered(boolean failMode, String why, byte[] body, String authorization) {
        Instant answeredAt = clock.instant();
        boolean authenticated = authorization != null && credentials.acceptsHeader(authorization);
        if (!authenticated && !strangerMayBeRecorded()) {
            strangersSkipped.increment();
            if (failMode && gatekeeper.failsOpen()) {
                unrecorded.increment(); // the port proceeds without a record: page
            }
            return;
        }
        if (writers.isShutdown()) {
            // answered after the node began to stop (a slow body's last answers): the journal may be closed
            afterShutdown.increment();
            unrecorded.increment();
            return;
        }
        // a copy: the request's buffer is not ours once its thread moves on
        byte[] readable = body != null && body.length <= MAX_PARSED_BODY ? Arrays.copyOf(body, body.length) : null;
        try {
            writers.execute(() -> record(answeredAt, failMode, why, readable, authenticated));
        } catch (RejectedExecutionException e) {
            queueFull.increment();
            unrecorded.increment();
        }
    }

    private synchronized boolean strangerMayBeRecorded() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(STRANGERS_BURST, tokens + (now - refilledAt) * STRANGERS_PER_SECOND / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    private void record(Instant answeredAt, boolean failMode, String why, byte[] body, boolean authenticated) {
        try {
            journal.record(gatekeeper.answeredBeforeRoutes(answeredAt, failMode, why, request(body, authenticated),
                    authenticated));
        } catch (RuntimeException e) {
            // as the route logs its own: an operator must see this at once (the journal counted it as unrecorded)
            LOG.error("Port-out decision NOT recorded in the audit journal: {}", e.getMessage());
        }
    }

    private PortOutValidationRequest request(byte[] body, boolean authenticated) {
        if (body == null) {
            return null;
        }
        try {
            PortOutValidationRequest request = safeXmlMapper.readValue(body, PortOutValidationRequest.class);
            List<String> numbers = request.getTelephoneNumbers();
            if (!authenticated) {
                numbers = numbers.stream().filter(n -> TelephoneNumbers.normalize(n).isPresent())
                        .limit(MAX_UNAUTHENTICATED_NUMBERS).toList();
            }
            request.setTelephoneNumbers(numbers.size() > MAX_RECORDED_NUMBERS
                    ? numbers.subList(0, MAX_RECORDED_NUMBERS) : numbers);
            String pon = request.getPon();
            if (!authenticated && pon != null && pon.length() > MAX_UNAUTHENTICATED_PON) {
                request.setPon(pon.substring(0, MAX_UNAUTHENTICATED_PON));
            }
            return request;
        } catch (Exception e) {
            // not a readable request: recorded without PON and numbers, as the route records an invalid one
            return null;
        }
    }

    /**
     * Writes what is queued (for a few seconds at most), before the journal closes; never interrupts a write. What is
     * still queued then is taken off, never to run against a closed journal, and counted as unrecorded.
     */
    @Override
    public void close() throws InterruptedException {
        writers.shutdown();
        if (!writers.awaitTermination(5, TimeUnit.SECONDS)) {
            List<Runnable> left = new java.util.ArrayList<>();
            writers.getQueue().drainTo(left);
            unrecorded.increment(left.size());
            LOG.error("{} port-out audit record(s) of answers given before the routes NOT written at shutdown",
                    left.size());
        }
    }
}
