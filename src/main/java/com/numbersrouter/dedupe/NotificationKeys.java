package com.numbersrouter.dedupe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.numbersrouter.xml.Notification;
import org.apache.camel.Exchange;

/**
 * Idempotency keys for notifications. An order state change is identified by subscription, order, status and
 * last-modified date; where Bandwidth sends no last-modified date (older payloads, notes, events), the exact body
 * identifies it. Keys carry the type, so an order and an event never collide, and are a fixed 70 characters
 * (type and SHA-256), so they fit any repository (camel-sql's table holds 100).
 */
public class NotificationKeys {

    public String orderKey(Exchange exchange) {
        Notification order = exchange.getVariable("notification", Notification.class);
        if (order != null && order.getLastModifiedDate() != null && order.getOrderId() != null) {
            return "order:" + sha256(order.getSubscriptionId() + "|" + order.getOrderId() + "|" + order.getStatus()
                    + "|" + order.getLastModifiedDate() + "|" + (order.getNote() == null ? "" : order.getNote()));
        }
        return "orderb:" + bodyHash(exchange);
    }

    public String eventKey(Exchange exchange) {
        return "event:" + bodyHash(exchange);
    }

    private static String bodyHash(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return sha256(body == null ? new byte[0] : body);
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
