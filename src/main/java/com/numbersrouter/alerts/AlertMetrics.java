package com.numbersrouter.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code numbers_router_alerts_total{outcome}}: alerts mailed at once ({@code sent}), events batched into a digest
 * ({@code batched}), digests mailed ({@code digest}), attempts to mail that failed and will be retried
 * ({@code retried}: the SMTP server is refusing or away, long before anything is dead-lettered) and alerts
 * dead-lettered after all retries ({@code dead-lettered}). The event routes call it by bean name at each of those
 * points.
 */
public class AlertMetrics {

    private final Counter sent;
    private final Counter batched;
    private final Counter digests;
    private final Counter retried;
    private final Counter deadLettered;

    public AlertMetrics(MeterRegistry meters) {
        this.sent = counter(meters, "sent");
        this.batched = counter(meters, "batched");
        this.digests = counter(meters, "digest");
        this.retried = counter(meters, "retried");
        this.deadLettered = counter(meters, "dead-lettered");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("numbers.router.alerts").description("Alert e-mails and batched events, by outcome")
                .tag("outcome", outcome).register(meters);
    }

    public void sent() {
        sent.increment();
    }

    public void batched() {
        batched.increment();
    }

    void digestSent() {
        digests.increment();
    }

    void retried() {
        retried.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }
}
