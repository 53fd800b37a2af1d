package com.numbersrouter.xml;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Shared rules for the JMS properties put on forwarded notifications. */
public final class NotificationHeaders {

    /** When the node received the webhook (ISO-8601 UTC); carried to consumers and into alert e-mails. */
    public static final String RECEIVED_AT = "BandwidthReceivedAt";

    private NotificationHeaders() {
    }

    /** Values come from the internet: control characters are dropped so they cannot forge log lines downstream. */
    public static void putIfPresent(Message message, String name, String value) {
        if (value != null && !value.isBlank()) {
            message.setHeader(name, value.replaceAll("\\p{Cntrl}", ""));
        }
    }

    /** When the webhook reached the node: kept across the local spool, so a late forward still says when. */
    public static String receivedAt(Exchange exchange) {
        String spooled = exchange.getVariable("receivedAt", String.class);
        return spooled != null ? spooled : Instant.ofEpochMilli(exchange.getClock().getCreated()).toString();
    }
}
