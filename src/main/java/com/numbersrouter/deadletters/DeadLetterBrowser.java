package com.numbersrouter.deadletters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.activemq.command.ActiveMQMessage;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.lang.Nullable;

/**
 * Reads a dead-letter queue with a queue browser, which takes nothing: a message of another application on the
 * broker's shared dead-letter queue is counted, never read further, and stays exactly as it was.
 */
final class DeadLetterBrowser {

    /** Bounds one listing or one replay call; a replay of more is a second call. */
    static final int MAX_MESSAGES = 1000;

    private static final List<String> SHOWN = List.of("DeadLetterReason", "DeadLetterAttempts", "DeadLetterAt",
            "WebhookEntry", "dlqDeliveryFailureCause", "EventType", "OrderType", "OrderId", "OrderStatus", "SubscriptionId", "BandwidthReceivedAt",
            // a port-out decision nobody read within its time to live (ActiveMQ stamps when it expired)
            "PON", "originalExpiration");

    /** One of the node's dead letters: what is shown of it (never the body), and why it cannot be replayed, if not. */
    record DeadLetter(String messageId, Map<String, Object> shown, @Nullable String notReplayable) {
    }

    /** @param otherApplications messages of other applications seen on the broker's shared dead-letter queue */
    record Browsed(List<DeadLetter> ours, int otherApplications) {
    }

    private final JmsTemplate jms;
    private final NodeQueues own;

    DeadLetterBrowser(JmsTemplate jms, NodeQueues own) {
        this.jms = jms;
        this.own = own;
    }

    /** @param shared whether {@code queue} is the broker's own dead-letter queue, which holds every application's */
    Browsed browse(String queue, boolean shared, @Nullable String selector) {
        return jms.browseSelected(queue, selector, (session, browser) -> {
            List<DeadLetter> ours = new ArrayList<>();
            int others = 0;
            Enumeration<?> enumeration = browser.getEnumeration();
            while (enumeration.hasMoreElements() && ours.size() < MAX_MESSAGES) {
                Message message = (Message) enumeration.nextElement();
                if (shared && !own.cameFromOne(message)) {
                    others++;
                } else {
                    String notReplayable = DeadLetterResender.notReplayable(message);
                    ours.add(new DeadLetter(message.getJMSMessageID(), describe(message, notReplayable), notReplayable));
                }
            }
            return new Browsed(ours, others);
        });
    }

    /**
     * How many of the node's messages {@code queue} holds, at most {@link #MAX_MESSAGES}: enough for an alert, and the
     * bound keeps a count of a long-neglected shared queue cheap (ActiveMQ shows a browser a few hundred at a time).
     */
    int count(String queue, boolean shared) {
        Integer counted = jms.browse(queue, (session, browser) -> {
            int ours = 0;
            Enumeration<?> enumeration = browser.getEnumeration();
            while (enumeration.hasMoreElements() && ours < MAX_MESSAGES) {
                Message message = (Message) enumeration.nextElement();
                if (!shared || own.cameFromOne(message)) {
                    ours++;
                }
            }
            return ours;
        });
        return counted == null ? 0 : counted;
    }

    private static Map<String, Object> describe(Message message, @Nullable String notReplayable) throws JMSException {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("messageId", message.getJMSMessageID());
        if (message instanceof ActiveMQMessage activeMq && activeMq.getOriginalDestination() != null) {
            described.put("originalDestination", activeMq.getOriginalDestination().getQualifiedName());
        }
        described.put("timestamp", Instant.ofEpochMilli(message.getJMSTimestamp()).toString());
        for (String name : SHOWN) {
            if (message.propertyExists(name)) {
                described.put(name, message.getObjectProperty(name));
            }
        }
        if (notReplayable != null) {
            described.put("notReplayable", notReplayable);
        }
        return described;
    }
}
