package com.numbersrouter.portout.audit;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.ingress.PortOutRefusals;
import com.numbersrouter.ingress.WebhookCredentials;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutValidationRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the audit journal the port-outs that the servlet filters or the authentication answered before the
 * routes decided them (at a bound, too slow, oversize, refused for their credentials, before any route served): the
 * journal holds every answer Bandwidth was given, and the fail mode's 7599 lets the port proceed.
 *
 * <p>These answers come when the node is short of something (threads, memory, routes), often in a flood, so nothing
 * here may hold the request's thread: each record is queued after the answer is written and written by a thread of
 * its own; a full queue drops it (counted). The PON and numbers are recorded only for a body that came whole with
 * valid credentials: anyone can send a body, and a made-up PON must not reach the audit or a CRM that notifies
 * subscribers. Records for requests without valid credentials are kept to one a second.
 */
public class UnreadPortOutAudit implements PortOutRefusals.Audit, AutoCloseable {

    /** Bodies up to this size are parsed for their PON and numbers (a port-out request is a few KB). */
    static final int MAX_PARSED_BODY = 64 * 1024;
    /** A record names at most this many numbers, whatever the body lists (the rules' default limit is 100). */
    static final int MAX_RECORDED_NUMBERS = 100;
    static final int QUEUE = 256;
    private static final long STRANGER_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger("numbers-router.portout");

    private final PortOutGatekeeper gatekeeper;
    private final PortOutDecisionJournal journal;
    private final XmlMapper safeXmlMapper;
    private final WebhookCredentials credentials;
    private final LongSupplier nanoTime;
    private final AtomicLong lastStranger;
    private final ThreadPoolExecutor writer;
    private final Counter queueFull;
    private final Counter strangersSkipped;

    public UnreadPortOutAudit(PortOutGatekeeper gatekeeper, PortOutDecisionJournal journal, XmlMapper safeXmlMapper,
            WebhookCredentials credentials, MeterRegistry meters) {
        this(gatekeeper, journal, safeXmlMapper, credentials, meters, System::nanoTime);
    }

    UnreadPortOutAudit(PortOutGatekeeper gatekeeper, PortOutDecisionJournal journal, XmlMapper safeXmlMapper,
            WebhookCredentials credentials, MeterRegistry meters, LongSupplier nanoTime) {
        this.gatekeeper = gatekeeper;
        this.journal = journal;
        this.safeXmlMapper = safeXmlMapper;
        this.credentials = credentials;
        this.nanoTime = nanoTime;
        this.lastStranger = new AtomicLong(nanoTime.getAsLong() - STRANGER_INTERVAL_NANOS);
        this.writer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread thread = new Thread(task, "portout-unread-audit");
            thread.setDaemon(true);
            return thread;
        });
        writer.allowCoreThreadTimeOut(true);
        this.queueFull = Counter.builder("numbers.router.portout.unread.skipped").tag("why", "queue-full")
                .description("Port-outs answered before the routes whose audit record was not written: the queue to"
                        + " the journal was full, or one without valid credentials came within a second of another")
                .register(meters);
        this.strangersSkipped = Counter.builder("numbers.router.portout.unread.skipped").tag("why", "no-credentials")
                .description("Port-outs answered before the routes whose audit record was not written: the queue to"
                        + " the journal was full, or one without valid credentials came within a second of another")
                .register(meters);
    }

    @Override
    public void answered(boolean failMode, String why, byte[] body, String authorization) {
        boolean authenticated = authorization != null && credentials.acceptsHeader(authorization);
        if (!authenticated && !strangerMayBeRecorded()) {
            strangersSkipped.increment();
            return;
        }
        // a copy: the request's buffer is not ours once its thread moves on
        byte[] readable = authenticated && body != null && body.length <= MAX_PARSED_BODY
                ? Arrays.copyOf(body, body.length) : null;
        String reason = authenticated ? why : why + "; no valid credentials: PON and numbers not recorded";
        try {
            writer.execute(() -> record(failMode, reason, readable));
        } catch (RejectedExecutionException e) {
            queueFull.increment();
        }
    }

    private boolean strangerMayBeRecorded() {
        long now = nanoTime.getAsLong();
        long last = lastStranger.get();
        return now - last >= STRANGER_INTERVAL_NANOS && lastStranger.compareAndSet(last, now);
    }

    private void record(boolean failMode, String reason, byte[] body) {
        try {
            journal.record(gatekeeper.answeredBeforeRoutes(failMode, reason, request(body)));
        } catch (RuntimeException e) {
            // as the route logs its own: an operator must see this at once
            LOG.error("Port-out decision NOT recorded in the audit journal: {}", e.getMessage());
        }
    }

    private PortOutValidationRequest request(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            PortOutValidationRequest request = safeXmlMapper.readValue(body, PortOutValidationRequest.class);
            List<String> numbers = request.getTelephoneNumbers();
            if (numbers.size() > MAX_RECORDED_NUMBERS) {
                request.setTelephoneNumbers(numbers.subList(0, MAX_RECORDED_NUMBERS));
            }
            return request;
        } catch (Exception e) {
            // not a readable request: recorded without PON and numbers, as the route records an invalid one
            return null;
        }
    }

    /** Writes what is queued (for a few seconds at most), before the journal closes. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("{} port-out audit record(s) of answers given before the routes not written at shutdown",
                    writer.shutdownNow().size());
        }
    }
}
