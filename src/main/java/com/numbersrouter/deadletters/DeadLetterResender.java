package com.numbersrouter.deadletters;

import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.lang.Nullable;

/**
 * Takes one dead letter, by its id, in a local transaction and commits only once it has been resent: a resend that
 * fails (the broker or the classifier's store unavailable) leaves the message on its dead-letter queue, and the
 * replay answers with the error. (A commit lost after a good resend would replay it twice: never lose it.)
 */
final class DeadLetterResender {

    /** Not "no wait": a fresh consumer may not have its message yet. */
    private static final long RECEIVE_TIMEOUT_MILLIS = 2000;

    private final JmsTemplate jms;
    private final ProducerTemplate camel;
    private final NodeQueues own;

    DeadLetterResender(JmsTemplate jms, ProducerTemplate camel, NodeQueues own) {
        this.jms = jms;
        this.camel = camel;
        this.own = own;
    }

    /**
     * Why a message cannot be replayed, or null if it can. The node only ever stores text and bytes; anything else
     * (Map, Object, Stream) was not its notification, and taking it only to put it back would count as a failed
     * delivery against it.
     */
    @Nullable
    static String notReplayable(Message message) {
        return message instanceof TextMessage || message instanceof BytesMessage ? null
                : "a " + jmsType(message) + ": only text and bytes messages are replayed";
    }

    /** What became of one dead letter a replay asked for. */
    enum Replay {
        /** no longer there */
        GONE,
        /** handed on to be handled again */
        REPLAYED,
        /** taken, and found to be a copy of a notification the node had stored already: not stored again */
        DUPLICATE
    }

    Replay replayOne(String queue, String messageId, String target) {
        String selector = "JMSMessageID = '" + messageId.replace("'", "''") + "'";
        Replay replay = jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                if (message == null) {
                    return Replay.GONE;
                }
                boolean duplicate;
                try {
                    duplicate = resend(message, target);
                } catch (RuntimeException e) {
                    session.rollback();
                    throw e;
                }
                session.commit();
                return duplicate ? Replay.DUPLICATE : Replay.REPLAYED;
            }
        }, true);
        return replay == null ? Replay.GONE : replay;
    }

    /**
     * Takes one dead letter for good, after an operator read why it is there: only one of the node's own (on the
     * broker's shared queue, one the broker took from a node's queue).
     *
     * @return false when the message was not there (or, on the shared queue, not the node's)
     */
    boolean discardOne(String queue, String messageId, boolean shared) {
        String selector = "JMSMessageID = '" + messageId.replace("'", "''") + "'";
        return Boolean.TRUE.equals(jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                if (message == null || (shared && !own.cameFromOne(message))) {
                    session.rollback();
                    return false;
                }
                session.commit();
                return true;
            }
        }, true));
    }

    /** @return true if the route found it a duplicate (its idempotent consumer's mark) and stored nothing */
    private boolean resend(Message message, String target) {
        String notReplayable = notReplayable(message);
        if (notReplayable != null) {
            throw new IllegalStateException("Cannot replay " + notReplayable);
        }
        try {
            Object payload = message instanceof BytesMessage ? message.getBody(byte[].class)
                    : message.getBody(String.class);
            // Every property the notification was stored with (what ESB consumers select on), not the provider's
            // JMSX* nor the broker's dlq*; and the correlation id orders carry (their order id). The node's own
            // DeadLetter* ones say why it was dead-lettered: dropped when it is sent on to be handled again, kept
            // when it goes back to the queue it came from as it was (the unclassified queue's reason is its content).
            // Never a Camel* one: these headers do not pass camel-jms's inbound filter, and camel-jms would obey one
            // (CamelJmsDestinationName sends the message elsewhere), so a property planted on a queue of the node by
            // anyone who may write there would steer the node's own replay.
            boolean asItWas = DeadLetterEndpoint.ORIGINAL_DESTINATION.equals(target);
            Map<String, Object> headers = new LinkedHashMap<>();
            for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
                String name = (String) names.nextElement();
                if (!name.startsWith("JMS") && !name.startsWith("dlq") && !name.regionMatches(true, 0, "camel", 0, 5)
                        && (asItWas || !name.startsWith("DeadLetter"))) {
                    headers.put(name, message.getObjectProperty(name));
                }
            }
            if (message.getJMSCorrelationID() != null) {
                headers.put("JMSCorrelationID", message.getJMSCorrelationID());
            }
            String endpoint = DeadLetterEndpoint.ORIGINAL_DESTINATION.equals(target) ? originalDestination(message) : target;
            Exchange result = camel.send(endpoint, exchange -> {
                exchange.getMessage().setBody(payload);
                exchange.getMessage().setHeaders(headers);
            });
            if (result.isFailed()) {
                throw new IllegalStateException("Replay to " + endpoint + " failed: " + result.getException().getMessage());
            }
            return Boolean.TRUE.equals(result.getProperty(Exchange.DUPLICATE_MESSAGE, Boolean.class));
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read dead letter: " + e.getMessage(), e);
        }
    }

    /** Only ever one of the node's own queues: the browse chose the message for that, this makes sure of it. */
    private String originalDestination(Message message) {
        if (!own.cameFromOne(message)) {
            throw new IllegalStateException("Not from one of this node's queues: left where it is");
        }
        ActiveMQDestination original = ((ActiveMQMessage) message).getOriginalDestination();
        return "jms:queue:" + original.getPhysicalName() + "?exchangePattern=InOnly";
    }

    private static String jmsType(Message message) {
        return message instanceof MapMessage ? "MapMessage" : message instanceof ObjectMessage ? "ObjectMessage"
                : message instanceof StreamMessage ? "StreamMessage" : "message without a body";
    }
}
