package com.numbersrouter.alerts;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Stamps a message that is about to be dead-lettered with why and how often it was tried, as JMS properties an
 * operator (or a replay tool) can read. Only the exception's type and first message line: no stack traces.
 */
public class DeadLetterReason implements Processor {

    private static final int MAX_REASON = 500;

    private final AlertMetrics metrics;

    public DeadLetterReason(AlertMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
        exchange.getMessage().setHeader("DeadLetterReason", reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON));
        Integer redeliveries = exchange.getProperty(DeliveryAttempts.REDELIVERIES, Integer.class);
        exchange.getMessage().setHeader("DeadLetterAttempts", redeliveries == null ? 1 : redeliveries + 1);
        exchange.getMessage().setHeader("DeadLetterAt", Instant.now().toString());
        metrics.deadLettered();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
