package com.numbersrouter.xml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Shared rules for the JMS properties put on forwarded notifications. */
public final class NotificationHeaders {

    /** When the node received the webhook (ISO-8601 UTC); carried to consumers and into alert e-mails. */
    public static final String RECEIVED_AT = "BandwidthReceivedAt";

    /**
     * Always with milliseconds: {@link Instant#toString()} leaves out a zero fraction, and {@code ...:30Z} would sort
     * after {@code ...:30.001Z} in a consumer's string comparison or selector.
     */
    private static final DateTimeFormatter RECEIVED_AT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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
        if (spooled == null) {
            return formatReceivedAt(Instant.ofEpochMilli(exchange.getClock().getCreated()));
        }
        try {
            // a replayed message keeps its time: in this form whatever form it was kept in (an older build's ...:05Z)
            return formatReceivedAt(Instant.parse(spooled));
        } catch (DateTimeParseException notATime) {
            return spooled; // edited by hand: passed on as it is, rather than replaced by the time of the replay
        }
    }

    /**
     * When the webhook reached the node, in epoch milliseconds: the time kept across the spool or a replay, else the
     * exchange's own start (the webhook's arrival).
     */
    public static long receivedMillis(Exchange exchange) {
        String kept = exchange.getVariable("receivedAt", String.class);
        if (kept != null) {
            try {
                return Instant.parse(kept).toEpochMilli();
            } catch (DateTimeParseException notATime) {
                // a replayed message's property edited by hand: the time of the replay instead
            }
        }
        return exchange.getClock().getCreated();
    }

    /** The {@link #RECEIVED_AT} form of a time: UTC, to the millisecond, always the same length. */
    public static String formatReceivedAt(Instant received) {
        return RECEIVED_AT_FORMAT.format(received);
    }
}
