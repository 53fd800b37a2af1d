package com.numbersrouter.alerts;

import java.time.Duration;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alert e-mail settings. Recipients, sender, queue and retry settings are read by {@code routes/alerts.camel.yaml}
 * and {@code routes/error-handling.camel.yaml} through placeholders; they are bound here too so the defaults are
 * documented in one place and a malformed value fails at start-up (addresses are parsed strictly).
 *
 * @param to              comma-separated recipients
 * @param from            sender address
 * @param subjectPrefix   text put before every alert subject
 * @param deadLetterQueue where alerts go that could not be mailed after every retry
 * @param retry           redelivery of a failed mail: exponential back-off from initialDelay, capped at maxDelay
 * @param storm           alert storms: after the first alert of an event type, the rest of its window is batched
 */
@ConfigurationProperties("numbers-router.alerts")
public record AlertProperties(
        @DefaultValue("noc@localhost") String to,
        @DefaultValue("numbers-router@localhost") String from,
        @DefaultValue("[numbers-router]") String subjectPrefix,
        @DefaultValue("DLQ.bandwidth.events") String deadLetterQueue,
        @DefaultValue Retry retry,
        @DefaultValue Storm storm) {

    public AlertProperties {
        // Checked here: camel-mail would take any text, and a typo would only fail at the first event, then hold every
        // alert behind it through an hour of retries.
        requireAddresses("numbers-router.alerts.to (NUMBERS_ROUTER_ALERTS_TO)", to);
        requireAddresses("numbers-router.alerts.from (NUMBERS_ROUTER_ALERTS_FROM)", from);
        if (from != null && from.contains(",")) {
            throw new IllegalArgumentException("numbers-router.alerts.from (NUMBERS_ROUTER_ALERTS_FROM) must be one"
                    + " address: " + from);
        }
    }

    private static void requireAddresses(String setting, String value) {
        try {
            if (value == null || InternetAddress.parse(value, true).length == 0) {
                throw new IllegalArgumentException(setting + " is empty: give at least one e-mail address");
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException(setting + " is not a list of e-mail addresses: " + e.getMessage(), e);
        }
    }

    /**
     * @param window            the first alert of an event type goes out at once; the others of this window are
     *                          mailed as one digest at its end
     * @param digestQueue       durable queue where batched events wait for their digest
     * @param maxMailsPerMinute hard cap on alert e-mails (excess ones wait, none is dropped)
     * @param csvAttachmentAbove attach the digest's numbers as CSV when there are more than this many
     * @param maxFailedDigests  windows a digest may fail to be mailed (SMTP down, or refusing it) before its events go
     *                          to the dead-letter queue: 12 is an hour at the 5-minute window, as a single alert's
     *                          retries
     */
    public record Storm(
            @DefaultValue("5m") Duration window,
            @DefaultValue("bandwidth.events.digest") String digestQueue,
            @DefaultValue("20") int maxMailsPerMinute,
            @DefaultValue("50") int csvAttachmentAbove,
            @DefaultValue("12") int maxFailedDigests) {

        public Storm {
            if (maxFailedDigests < 1) {
                throw new IllegalArgumentException("numbers-router.alerts.storm.max-failed-digests must be at least 1");
            }
        }
    }

    public record Retry(
            @DefaultValue("120") int maxRedeliveries,
            @DefaultValue("1000") long initialDelay,
            @DefaultValue("30000") long maxDelay) {
    }
}
