package com.numbersrouter.dedupe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;

/**
 * Idempotency keys for notifications. An order state change is identified by subscription, order, status and
 * last-modified date; where Bandwidth sends no last-modified date (older payloads, events), the exact body identifies
 * it, but only within {@code body-window}: an event carries no time of its own, so the same event again later (a
 * number lost, regained and lost again the same day) is a new event, not a copy. Keys carry the type, so an order and
 * an event never collide, and are of fixed length (type and SHA-256), so they fit any repository (camel-sql's table
 * holds 100). Each forwarded order and event carries its key as the JMS property {@code NotificationKey}, so that a
 * consumer can drop what reaches it twice (see the README's "Duplicates").
 */
public class NotificationKeys {

    /** The JMS property that carries a forwarded notification's key. */
    public static final String PROPERTY = "NotificationKey";

    private final long bodyWindowMillis;

    /** @param bodyWindow how long two identical bodies count as one notification, where no time identifies it */
    public NotificationKeys(Duration bodyWindow) {
        if (bodyWindow.isNegative() || bodyWindow.isZero()) {
            throw new IllegalArgumentException("numbers-router.dedupe.body-window must be positive");
        }
        this.bodyWindowMillis = bodyWindow.toMillis();
    }

    public String orderKey(Exchange exchange) {
        Notification order = exchange.getVariable("notification", Notification.class);
        if (order != null && order.getLastModifiedDate() != null && order.getOrderId() != null) {
            return "order:" + sha256(order.getSubscriptionId() + "|" + order.getOrderId() + "|" + order.getStatus()
                    + "|" + order.getLastModifiedDate() + "|" + (order.getNote() == null ? "" : order.getNote()));
        }
        return "orderb:" + bodyHash(body(exchange), NotificationHeaders.receivedMillis(exchange));
    }

    /**
     * The time is when the node received it, not when this exchange began: a notification forwarded from the spool
     * or replayed later keeps the key it had at intake (published as the message's NotificationKey).
     */
    public String eventKey(Exchange exchange) {
        return eventKey(body(exchange), NotificationHeaders.receivedMillis(exchange));
    }

    String eventKey(byte[] body, long receivedMillis) {
        return "event:" + bodyHash(body, receivedMillis);
    }

    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /**
     * The body with the body window it arrived in: a copy inside the same window has the same key. Windows are fixed
     * slices of time, so a copy that arrives just after one ends is stored again (a duplicate, never a loss).
     */
    private String bodyHash(byte[] body, long receivedMillis) {
        MessageDigest digest = sha256();
        digest.update(body);
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(receivedMillis / bodyWindowMillis).array());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
