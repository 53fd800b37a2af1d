package com.numbersrouter.alerts;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Counts redeliveries in an exchange property. The redelivery header lives on the message, and the dead-letter
 * channel swaps in the original message (useOriginalMessage), so the count would be lost by the time
 * {@link DeadLetterReason} runs. Each is also counted as {@code numbers_router_alerts_total{outcome="retried"}}: an
 * SMTP outage shows within minutes, not after the hour of retries that ends in the dead-letter queue.
 */
public class DeliveryAttempts implements Processor {

    static final String REDELIVERIES = "numbersRouterRedeliveries";

    private final AlertMetrics metrics;

    public DeliveryAttempts(AlertMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        metrics.retried();
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        exchange.setProperty(REDELIVERIES, counter == null ? 0 : counter);
    }
}
