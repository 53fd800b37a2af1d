package com.numbersrouter.ingress;

/**
 * Text read back from a queue that is no order or event notification: the same on every attempt, so the alert
 * delivery sends it to its dead-letter queue at once (routes/error-handling.camel.yaml) instead of retrying it.
 */
public class UnreadableNotificationException extends IllegalArgumentException {

    public UnreadableNotificationException(String reason) {
        super(reason);
    }
}
