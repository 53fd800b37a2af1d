package com.numbersrouter.alerts;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Counts redeliveries in an exchange property. The redelivery header lives on the message, and the dead-letter
 * channel swaps in the original message (useOriginalMessage), so the count would be lost by the time
 * {@link DeadLetterReason} runs.
 */
public class DeliveryAttempts implements Processor {

    static final String REDELIVERIES = "numbersRouterRedeliveries";

    @Override
    public void process(Exchange exchange) {
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        exchange.setProperty(REDELIVERIES, counter == null ? 0 : counter);
    }
}
