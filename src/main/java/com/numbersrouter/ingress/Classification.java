package com.numbersrouter.ingress;

import com.numbersrouter.xml.Notification;

/**
 * The result of reading a webhook body once.
 *
 * @param type         what the body is
 * @param notification the parsed {@code <Notification>} for orders and events, else null
 * @param problem      why the body is unusable (short, safe to show the sender), or null when it is fine
 */
public record Classification(WebhookType type, Notification notification, String problem) {

    static Classification of(WebhookType type, Notification notification) {
        return new Classification(type, notification, null);
    }

    static Classification rejected(WebhookType type, String problem) {
        return new Classification(type, null, problem);
    }

    public boolean malformed() {
        return problem != null;
    }
}
