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

    /**
     * Control characters (C0, DEL and C1, NEL among them) and the Unicode line and paragraph separators: log viewers
     * and terminals may take any of them as a line break or the start of an escape sequence.
     */
    static boolean isControl(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true; // the common case, without a table look-up
        }
        if (c < 0x80) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** {@code value} with every character {@link #isControl} finds replaced by {@code replacement}. */
    public static String withControlCharactersAs(String value, String replacement) {
        StringBuilder kept = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                if (kept == null) {
                    kept = new StringBuilder(value.length()).append(value, 0, i);
                }
                kept.append(replacement);
            } else if (kept != null) {
                kept.append(c);
            }
        }
        return kept == null ? value : kept.toString();
    }

    /** When the webhook reached the node: kept across the local spool, so a late forward still says when. */
    public static String receivedAt(Exchange exchange) {
        String spooled = exchange.getVariable("receivedAt", String.class);
        return spooled != null ? spooled : Instant.ofEpochMilli(exchange.getClock().getCreated()).toString();
    }
}
