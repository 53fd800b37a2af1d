package com.numbersrouter.ingress;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.numbersrouter.operations.WebhookOutcomes;
import com.numbersrouter.spool.NotificationSpool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A notification that finds every processing place taken ({@link IntakeAdmission}). Bandwidth never retries an
 * order or event notification, so a 503 would lose it: with valid credentials its body, already read whole, goes to
 * the local spool as received (forced to disk before the 200) and is forwarded, classified and stored from there
 * like any spooled notification. Without them it gets the challenge it would get anyway, so Bandwidth's first,
 * credential-less request leads to a second one. Only a full or failing spool still answers 503.
 *
 * <p>Nothing is parsed here and no Camel route runs: each request costs a credential check and, authenticated, one
 * write and force of a few KB, on the Tomcat thread that read it. At most {@link #WRITES_AT_ONCE} such writes run at
 * once, and one beyond them is refused with 503 as before: measured under a flood of twice the in-flight bound
 * (bench/flood.sh), unbounded writes took the disk from the broker's commits, the webhooks in progress slowed, more
 * of them overflowed, and the node answered a third of what it did without the overflow.
 */
public class NotificationOverflow {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationOverflow.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final String TYPE = "unknown";
    /** Forced writes of overflowing notifications at once (a burst's first ones; a flood's excess is still shed). */
    static final int WRITES_AT_ONCE = 8;

    private final WebhookCredentials credentials;
    private final String challenge;
    private final Supplier<NotificationSpool> spool;
    private final MeterRegistry meters;
    private final Semaphore writes = new Semaphore(WRITES_AT_ONCE);
    private final Counter shed;
    private final AtomicLong spooledSinceWarning = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** @param spool looked up at the first overflow: the filters are made before the beans behind the spool */
    public NotificationOverflow(WebhookCredentials credentials, String realm, Supplier<NotificationSpool> spool,
            MeterRegistry meters) {
        this.credentials = credentials;
        this.challenge = BasicAuthChallenge.challenge(realm);
        this.spool = spool;
        this.meters = meters;
        this.shed = IntakeAdmission.shed(meters, "notifications");
    }

    /** Answers a notification beyond the in-flight bound: 200 once spooled, 401, or 503 if the spool cannot take it. */
    void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String authorization = request.getHeader("Authorization");
        if (!credentials.accepts(BasicAuthChallenge.decodedUserPass(authorization))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", challenge);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Authentication required\n");
            record(authorization == null || authorization.isBlank() ? "unauthenticated" : BasicAuthChallenge.BAD_CREDENTIALS,
                    started);
            return;
        }
        if (!writes.tryAcquire()) {
            shed.increment();
            IntakeAdmission.refuse(response);
            record("unavailable", started);
            return;
        }
        byte[] body = request.getAttribute(WebhookBodyBuffer.RAW_BODY) instanceof byte[] raw ? raw : null;
        try {
            if (body == null || body.length == 0) {
                throw new IOException("no body to keep");
            }
            spool.get().storeOverflow(body, System.currentTimeMillis());
        } catch (IOException e) {
            LOG.error("A notification beyond the in-flight bound could not be spooled either ({}): answered 503, and"
                    + " Bandwidth does not send it again", e.getMessage());
            shed.increment();
            IntakeAdmission.refuse(response);
            record("unavailable", started);
            return;
        } finally {
            writes.release();
        }
        response.setStatus(HttpServletResponse.SC_OK);
        record("spooled", started);
        warnAtMostOnceAMinute();
    }

    private void record(String outcome, long started) {
        WebhookOutcomes.record(meters, TYPE, outcome, null, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** One WARN, then at most one a minute with how many came since: a burst must not write a line per webhook. */
    private void warnAtMostOnceAMinute() {
        long count = spooledSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            spooledSinceWarning.addAndGet(-count);
            LOG.warn("Every processing place taken (numbers-router.webhook.max-in-flight): {} notification(s) kept in"
                    + " the local spool instead of refused; they are forwarded from there", count);
        }
    }
}
