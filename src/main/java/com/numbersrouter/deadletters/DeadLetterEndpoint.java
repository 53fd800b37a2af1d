package com.numbersrouter.deadletters;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/deadletters} on the management port: what landed in the dead-letter queues and why, and a way
 * to replay it once the cause is fixed.
 * <ul>
 * <li>{@code GET /actuator/deadletters} lists every dead-letter queue with its messages (id, time, reason,
 * attempts, the notification's selectable properties); never the body, which may hold subscriber data.</li>
 * <li>{@code POST /actuator/deadletters/{queue}} replays all of it; with {@code {"messageId": "ID:..."}} one
 * message. Alerts go back onto the alert queue (mailed again); unclassified payloads are classified again and,
 * if now an order or event, stored as one (else they return to the unclassified queue); what the broker itself
 * dead-lettered ({@code ActiveMQ.DLQ}, e.g. a transacted consumer that kept failing) goes back where it came from.</li>
 * </ul>
 */
@Endpoint(id = "deadletters")
public class DeadLetterEndpoint {

    /** Replay target meaning "back where the broker took it from" (ActiveMQ records the original destination). */
    public static final String ORIGINAL_DESTINATION = "original-destination";

    private static final List<String> SHOWN = List.of("DeadLetterReason", "DeadLetterAttempts", "DeadLetterAt",
            "WebhookEntry", "dlqDeliveryFailureCause", "EventType", "OrderType", "OrderId", "OrderStatus", "SubscriptionId", "BandwidthReceivedAt");

    /** Not "no wait": a fresh consumer may not have its first message yet. Bounded by the count browsed first. */
    private static final long RECEIVE_TIMEOUT_MILLIS = 2000;

    private final JmsTemplate jms;
    private final ProducerTemplate camel;
    private final Map<String, String> replayTargets;

    /** @param replayTargets dead-letter queue name to the Camel endpoint its messages are replayed to */
    public DeadLetterEndpoint(ConnectionFactory connectionFactory, ProducerTemplate camel, Map<String, String> replayTargets) {
        this.jms = new JmsTemplate(connectionFactory);
        // replayOne commits each message itself, once it has been resent
        this.jms.setSessionTransacted(true);
        this.camel = camel;
        this.replayTargets = Map.copyOf(replayTargets);
    }

    @ReadOperation
    public Map<String, List<Map<String, Object>>> list() {
        Map<String, List<Map<String, Object>>> queues = new LinkedHashMap<>();
        for (String queue : replayTargets.keySet()) {
            queues.put(queue, jms.browse(queue, (session, browser) -> {
                List<Map<String, Object>> messages = new ArrayList<>();
                Enumeration<?> enumeration = browser.getEnumeration();
                while (enumeration.hasMoreElements() && messages.size() < 1000) {
                    messages.add(describe((Message) enumeration.nextElement()));
                }
                return messages;
            }));
        }
        return queues;
    }

    @WriteOperation
    public Map<String, Object> replay(@Selector String queue, @Nullable String messageId) {
        String target = replayTargets.get(queue);
        if (target == null) {
            throw new IllegalArgumentException("Not a dead-letter queue: " + queue + " (known: " + replayTargets.keySet() + ")");
        }
        String selector = messageId == null ? null : "JMSMessageID = '" + messageId.replace("'", "''") + "'";
        // Only what is there now: a replayed message that fails again comes back, and must not be replayed twice.
        int present = selector == null ? list().get(queue).size() : 1;
        int replayed = 0;
        while (replayed < present && replayOne(queue, selector, target)) {
            replayed++;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("queue", queue);
        result.put("replayedTo", target);
        result.put("replayed", replayed);
        return result;
    }

    /**
     * Takes one message in a local transaction and commits only once it has been resent: a resend that fails (the
     * broker or the classifier's store unavailable) leaves the message on its dead-letter queue, and the replay
     * answers with the error. (A commit lost after a good resend would replay it twice: never lose it.)
     *
     * @return false when the queue had no (matching) message
     */
    private boolean replayOne(String queue, @Nullable String selector, String target) {
        return Boolean.TRUE.equals(jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                if (message == null) {
                    return false;
                }
                try {
                    resend(message, target);
                } catch (RuntimeException e) {
                    session.rollback();
                    throw e;
                }
                session.commit();
                return true;
            }
        }, true));
    }

    private void resend(Message message, String target) {
        try {
            Object payload = message instanceof jakarta.jms.BytesMessage ? message.getBody(byte[].class)
                    : message.getBody(String.class);
            // Every property the notification was stored with (what ESB consumers select on), not the dead-letter
            // ones nor the provider's JMSX*; and the correlation id orders carry (their order id).
            Map<String, Object> headers = new LinkedHashMap<>();
            for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
                String name = (String) names.nextElement();
                if (!name.startsWith("JMS") && !name.startsWith("DeadLetter") && !name.startsWith("dlq")) {
                    headers.put(name, message.getObjectProperty(name));
                }
            }
            if (message.getJMSCorrelationID() != null) {
                headers.put("JMSCorrelationID", message.getJMSCorrelationID());
            }
            String endpoint = ORIGINAL_DESTINATION.equals(target) ? originalDestination(message) : target;
            Exchange result = camel.send(endpoint, exchange -> {
                exchange.getMessage().setBody(payload);
                exchange.getMessage().setHeaders(headers);
            });
            if (result.isFailed()) {
                throw new IllegalStateException("Replay to " + endpoint + " failed: " + result.getException().getMessage());
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read dead letter: " + e.getMessage(), e);
        }
    }

    private static String originalDestination(Message message) {
        if (message instanceof ActiveMQMessage activeMq && activeMq.getOriginalDestination() != null) {
            ActiveMQDestination original = activeMq.getOriginalDestination();
            return "jms:" + (original.isTopic() ? "topic:" : "queue:") + original.getPhysicalName() + "?exchangePattern=InOnly";
        }
        throw new IllegalStateException("The broker did not record where this message came from");
    }

    private static Map<String, Object> describe(Message message) throws JMSException {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("messageId", message.getJMSMessageID());
        if (message instanceof ActiveMQMessage activeMq && activeMq.getOriginalDestination() != null) {
            described.put("originalDestination", activeMq.getOriginalDestination().getQualifiedName());
        }
        described.put("timestamp", java.time.Instant.ofEpochMilli(message.getJMSTimestamp()).toString());
        for (String name : SHOWN) {
            if (message.propertyExists(name)) {
                described.put(name, message.getObjectProperty(name));
            }
        }
        return described;
    }
}
