package com.numbersrouter.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.activation.DataHandler;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.util.ByteArrayDataSource;
import com.numbersrouter.ingress.WebhookClassifier;
import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;

/**
 * At each window's end, turns the events batched on the digest queue into one digest e-mail. The events are taken
 * in a JMS transaction that commits only once the mail was sent: if SMTP fails, they stay queued for the next
 * window, up to {@code max-failed-digests} windows (an hour at the default 5-minute window, as a single alert's
 * retries), then to the alerts' dead-letter queue with the reason. Nothing is dropped, only batched; an event that
 * cannot be read goes to the dead-letter queue at once rather than hold the digests behind it.
 */
public class AlertDigest {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDigest.class);
    /** One digest holds at most this many events; the rest go into the next one, a window later. */
    static final int MAX_EVENTS_PER_DIGEST = 10_000;

    private final JmsTemplate jms;
    private final String queue;
    private final String deadLetterQueue;
    private final int maxFailedDigests;
    private final WebhookClassifier parser;
    private final EventAlertComposer composer;
    private final ProducerTemplate camel;
    private final String mailEndpoint;
    private final int csvThreshold;
    private final AlertMetrics metrics;

    /**
     * @param maxFailedDigests after this many windows that could not mail them, a digest's events go to the
     *                         dead-letter queue with the reason, as a single alert does after its retries
     */
    public AlertDigest(ConnectionFactory connectionFactory, String queue, String deadLetterQueue,
            WebhookClassifier parser, EventAlertComposer composer, ProducerTemplate camel, String mailEndpoint,
            int csvThreshold, int maxFailedDigests, AlertMetrics metrics) {
        this.metrics = metrics;
        this.maxFailedDigests = maxFailedDigests;
        this.deadLetterQueue = deadLetterQueue;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
        this.queue = queue;
        this.parser = parser;
        this.composer = composer;
        this.camel = camel;
        this.mailEndpoint = mailEndpoint;
        this.csvThreshold = csvThreshold;
    }

    /**
     * One window at a time: when a route edit replaces the digest's route, the old timer's window may still be
     * mailing (a route being replaced is stopped after numbers-router.routes.stop-timeout) as the new timer starts
     * one; two at once would split the events between two digests.
     *
     * @return how many events the digest sent now held (0 when nothing was batched)
     */
    public synchronized int sendPending() {
        try {
            return sendPendingOnTheBroker();
        } catch (JmsException brokerUnavailable) {
            // No session to take the events in (the broker is down or refuses the node): they wait on the broker for
            // the next window. One line, not the timer route's error handler and its stack trace every window. Not
            // counted as a mail retried: no mail was tried, and the alert on those sends the operator to the SMTP
            // server; the broker's own alerts (spooling, failed transactions) say where to look.
            LOG.warn("Alert digest not sent, the broker is unavailable; its events wait for the next window: {}",
                    brokerUnavailable.getMessage());
            return 0;
        }
    }

    private int sendPendingOnTheBroker() {
        List<String> deadLettered = new ArrayList<>();
        Integer sent = jms.execute(session -> {
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            List<Message> taken = new ArrayList<>();
            int windows = 0;
            try {
                List<Notification> events = new ArrayList<>();
                List<String> received = new ArrayList<>();
                Message message;
                while (events.size() < MAX_EVENTS_PER_DIGEST && (message = consumer.receive(200)) != null) {
                    Notification event;
                    try {
                        event = parser.notificationFromText(message.getBody(String.class));
                    } catch (RuntimeException | JMSException unreadable) {
                        // redelivered without limit (AlertsConfiguration): it would hold every digest after it
                        deadLetter(session, message, "Not an event the digest can read: " + unreadable.getMessage(), 1);
                        deadLettered.add("An event on the digest queue could not be read (" + unreadable.getMessage() + ")");
                        continue;
                    }
                    taken.add(message);
                    windows = Math.max(windows, deliveries(message));
                    events.add(event);
                    received.add(message.getStringProperty(NotificationHeaders.RECEIVED_AT));
                }
                if (events.isEmpty()) {
                    if (!deadLettered.isEmpty()) {
                        session.commit();
                    }
                    return 0;
                }
                send(composer.digest(events, received), composer.csv(events, received), events.size());
                session.commit();
                metrics.digestSent();
                return events.size();
            } catch (RuntimeException | JMSException e) {
                if (windows >= maxFailedDigests && !taken.isEmpty()) {
                    // As a single alert goes after its hour of retries: a digest SMTP keeps refusing (too large, a
                    // recipient refused) must not hold every digest after it for ever.
                    String reason = "Digest not sent in " + windows + " windows: " + e.getMessage();
                    for (Message event : taken) {
                        deadLetter(session, event, reason, windows);
                    }
                    session.commit();
                    deadLettered.add("A digest of " + taken.size() + " event(s) was not sent in " + windows
                            + " windows (" + e.getMessage() + ")");
                    return 0;
                }
                session.rollback();
                deadLettered.clear();
                metrics.retried();
                LOG.warn("Alert digest not sent, its events stay queued for the next window: {}", e.getMessage());
                return 0;
            } finally {
                consumer.close();
            }
        }, true);
        // Counted and logged once committed: a move rolled back with its window is not a dead letter.
        for (String what : deadLettered) {
            metrics.deadLettered();
            LOG.error("{}; moved to {}", what, deadLetterQueue);
        }
        return sent == null ? 0 : sent;
    }

    /** How many windows have taken this event (ActiveMQ counts a delivery for each rolled-back window). */
    private static int deliveries(Message message) throws JMSException {
        return message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
    }

    /** Moves an event to the alerts' dead-letter queue, in the digest's transaction. */
    private void deadLetter(Session session, Message message, String reason, int attempts) throws JMSException {
        Message copy = message instanceof TextMessage text
                ? session.createTextMessage(text.getText())
                : session.createMessage();
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMSX")) {
                copy.setObjectProperty(name, message.getObjectProperty(name));
            }
        }
        copy.setStringProperty("DeadLetterReason", reason.length() <= 500 ? reason : reason.substring(0, 500));
        copy.setIntProperty("DeadLetterAttempts", attempts);
        copy.setStringProperty("DeadLetterAt", Instant.now().toString());
        try (MessageProducer producer = session.createProducer(session.createQueue(deadLetterQueue))) {
            producer.send(copy, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        }
    }

    private void send(EventAlert digest, String csv, int events) {
        Exchange result = camel.send(mailEndpoint, exchange -> {
            exchange.getMessage().setBody(digest);
            int numbers = csv.split("\n", -1).length - 2;
            if (numbers > csvThreshold) {
                exchange.getMessage(AttachmentMessage.class).addAttachment("affected-numbers.csv",
                        new DataHandler(new ByteArrayDataSource(csv.getBytes(StandardCharsets.UTF_8), "text/csv")));
            }
        });
        if (result.isFailed()) {
            throw new IllegalStateException("sending the digest of " + events + " events failed: "
                    + result.getException().getMessage());
        }
    }
}
