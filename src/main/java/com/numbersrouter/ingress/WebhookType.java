package com.numbersrouter.ingress;

/** What a webhook is, decided by its XML content alone (never by the path it was posted to). */
public enum WebhookType {
    ORDER,
    EVENT,
    PORT_OUT_VALIDATION,
    UNCLASSIFIED
}
