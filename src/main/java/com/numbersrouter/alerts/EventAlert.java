package com.numbersrouter.alerts;

/** One alert e-mail: its subject and the same content as plain text and HTML. */
public record EventAlert(String subject, String text, String html) {
}
