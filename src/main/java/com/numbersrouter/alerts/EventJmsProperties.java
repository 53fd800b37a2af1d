package com.numbersrouter.alerts;

import com.numbersrouter.dedupe.NotificationKeys;
import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import static com.numbersrouter.xml.NotificationHeaders.putIfPresent;

/**
 * JMS properties of an event on the durable alert queue: what the alert mailer and the dead-letter listing read, and
 * what a topic copy for an ESB carries (the queue itself is the mailer's; another consumer would take its events).
 */
public class EventJmsProperties {

    private final NotificationKeys keys;

    public EventJmsProperties(NotificationKeys keys) {
        this.keys = keys;
    }

    public void apply(Exchange exchange) {
        Notification event = exchange.getVariable("notification", Notification.class);
        Message message = exchange.getMessage();
        putIfPresent(message, "EventType", event.getEventType());
        putIfPresent(message, "SubscriptionId", event.getSubscriptionId());
        message.setHeader("AffectedNumberCount", event.affectedTelephoneNumbers().size());
        message.setHeader(NotificationHeaders.RECEIVED_AT, NotificationHeaders.receivedAt(exchange));
        message.setHeader(NotificationKeys.PROPERTY, keys.eventKey(exchange));
    }
}
