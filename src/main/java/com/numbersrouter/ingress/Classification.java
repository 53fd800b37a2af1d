package com.numbersrouter.ingress;

import com.numbersrouter.xml.Notification;

/**
 * The result of reading a webhook body once.
 *
 * @param type         what the body is
 * @param notification the parsed {@code <Notification>} for orders and events, else null
 * @param problem      why the body is unusable (short, safe to show the sender), or null when it is fine
 * @param encoding     the document's character encoding as the parser found it (BOM, declaration or UTF-8)
 */
public record Classification(WebhookType type, Notification notification, String problem, String encoding) {

    static Classification of(WebhookType type, Notification notification) {
        return new Classification(type, notification, null, null);
    }

    static Classification of(WebhookType type, Notification notification, String encoding) {
        return new Classification(type, notification, null, encoding);
    }

    static Classification rejected(WebhookType type, String problem) {
        return new Classification(type, null, problem, null);
    }

    public boolean malformed() {
        return problem != null;
    }
}
