package com.numbersrouter.portout.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The port-out audit trail's settings. Bound at {@code numbers-router.portout} beside {@code PortOutProperties}
 * (which ignores them) because the decisions queue is a port-out setting of its own, not a journal one:
 * {@code numbers-router.portout.audit.*} and {@code numbers-router.portout.decisions-queue}.
 *
 * @param audit          the journal of decisions
 * @param decisionsQueue JMS queue every decision is published on (read by {@code routes/portout-audit.camel.yaml})
 * @param decisionsTimeToLive how long a published decision waits on the queue for a reader before the broker drops
 *                  it (JMS expiration; used by {@code routes/portout-audit.camel.yaml}); 0: never. The journal keeps
 *                  every decision for its retention either way.
 */
@ConfigurationProperties("numbers-router.portout")
public record PortOutAuditProperties(
        @DefaultValue Audit audit,
        @DefaultValue("bandwidth.portout.decisions") String decisionsQueue,
        @DefaultValue("7d") Duration decisionsTimeToLive) {

    public PortOutAuditProperties {
        Objects.requireNonNull(audit, "numbers-router.portout.audit");
        if (decisionsQueue == null || decisionsQueue.isBlank()) {
            throw new IllegalArgumentException("numbers-router.portout.decisions-queue must not be blank");
        }
        if (decisionsTimeToLive == null || decisionsTimeToLive.isNegative()) {
            throw new IllegalArgumentException("numbers-router.portout.decisions-time-to-live must be 0 (never) or more");
        }
    }

    /**
     * @param directory where the day files {@code decisions-YYYY-MM-DD.jsonl} are kept, relative to the working
     *                  directory unless absolute
     * @param retention day files entirely older than this are deleted (at start-up and when the day rolls over)
     * @param recordTimeout how long a port-out answer waits for its decision to be written and forced to disk; then
     *                  the decision is logged as not recorded and the answer goes out. At most 4s, so that even with
     *                  the longest deadline (25 s) decision and record take under Bandwidth's 30 s (the body's
     *                  reading, bounded by numbers-router.webhook.body-read-timeout, comes before both).
     * @param nodeName  written into each record ({@code node}): which node decided, when several share the work.
     *                  Empty: the host name (a Kubernetes pod's name)
     */
    public record Audit(
            @DefaultValue("data/portout-decisions") Path directory,
            @DefaultValue("400d") Duration retention,
            @DefaultValue("2s") Duration recordTimeout,
            @DefaultValue("") String nodeName) {

        /** Bandwidth waits 30 s; the decision may take up to 25 s (numbers-router.portout.deadline). */
        static final Duration MAX_RECORD_TIMEOUT = Duration.ofSeconds(4);

        public Audit {
            Objects.requireNonNull(directory, "numbers-router.portout.audit.directory");
            if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("numbers-router.portout.audit.retention must be at least 1d");
            }
            if (recordTimeout == null || recordTimeout.isNegative() || recordTimeout.isZero()
                    || recordTimeout.compareTo(MAX_RECORD_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "numbers-router.portout.audit.record-timeout must be more than 0 and at most 4s");
            }
            nodeName = nodeName == null || nodeName.isBlank() ? HostName.local() : nodeName.strip();
        }
    }
}
