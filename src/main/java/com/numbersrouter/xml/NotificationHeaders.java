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
            message.setHeader(name, withoutControlCharacters(value));
        }
    }

    // Called for every property of every notification: scanned once, copied only when there is something to drop.
    static String withoutControlCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i))) {
                StringBuilder kept = new StringBuilder(value.length());
                for (int j = 0; j < value.length(); j++) {
                    char c = value.charAt(j);
                    if (!isControl(c)) {
                        kept.append(c);
                    }
                }
                return kept.toString();
            }
        }
        return value;
    }

    /** The characters of {@code \p{Cntrl}}: C0 and DEL. */
    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** When the webhook reached the node: kept across the local spool, so a late forward still says when. */
    public static String receivedAt(Exchange exchange) {
        String spooled = exchange.getVariable("receivedAt", String.class);
        return spooled != null ? spooled : Instant.ofEpochMilli(exchange.getClock().getCreated()).toString();
    }
}
