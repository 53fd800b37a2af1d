package com.numbersrouter.deadletters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
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
 * attempts, the notification's selectable properties); never the body, which may hold subscriber data. A queue the
 * node's broker user may not browse shows {@code error} with the broker's reason; the others are listed as usual.</li>
 * <li>{@code POST /actuator/deadletters/{queue}} replays all of it; with {@code {"messageId": "ID:..."}} one
 * message. Alerts go back onto the alert queue (mailed again); unclassified payloads are classified again and,
 * if now an order or event, stored as one (else they return to the unclassified queue); what the broker itself
 * dead-lettered ({@code numbers-router.dead-letters.broker-queue}, e.g. a transacted consumer that kept failing)
 * goes back to the queue it came from. A message that is not text or bytes is not replayed: it stays where it is
 * and the answer lists it under {@code skipped}.</li>
 * <li>{@code DELETE /actuator/deadletters/{queue}?messageId=ID:...} discards one message, for good.</li>
 * </ul>
 * The broker's dead-letter queue is shared by every application on the broker. Only messages the broker took from one
 * of the node's own queues are listed and replayed; the others are never taken, replayed, changed or shown, only
 * counted ({@code otherApplications}).
 */
@Endpoint(id = "deadletters")
public class DeadLetterEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterEndpoint.class);

    /** Replay target meaning "back where the broker took it from" (ActiveMQ records the original destination). */
    public static final String ORIGINAL_DESTINATION = "original-destination";

    /** One queue in the listing: its messages, or why it could not be read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Listing(@Nullable List<Map<String, Object>> messages, @Nullable Integer otherApplications,
            @Nullable String error) {
    }

    private final DeadLetterBrowser browser;
    private final DeadLetterResender resender;
    private final Map<String, String> replayTargets;
    private final NodeQueues own;

    /**
     * @param replayTargets dead-letter queue name to the Camel endpoint its messages are replayed to
     * @param own           the node's queues: of the broker's dead-letter queue, only what came from these is shown
     */
    public DeadLetterEndpoint(ConnectionFactory connectionFactory, ProducerTemplate camel,
            Map<String, String> replayTargets, NodeQueues own) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        // the resender commits each message itself, once it has been resent
        jms.setSessionTransacted(true);
        this.browser = new DeadLetterBrowser(jms, own);
        this.resender = new DeadLetterResender(jms, camel, own);
        this.replayTargets = new LinkedHashMap<>(replayTargets);
        this.own = own;
    }

    /** The dead-letter queues listed here, in the listing's order. */
    Set<String> queues() {
        return replayTargets.keySet();
    }

    NodeQueues own() {
        return own;
    }

    @ReadOperation
    public Map<String, Listing> list() {
        Map<String, Listing> queues = new LinkedHashMap<>();
        for (String queue : replayTargets.keySet()) {
            boolean shared = isBrokers(queue);
            try {
                DeadLetterBrowser.Browsed browsed = browser.browse(queue, shared, null);
                queues.put(queue, new Listing(browsed.ours().stream().map(DeadLetterBrowser.DeadLetter::shown).toList(),
                        shared ? browsed.otherApplications() : null, null));
            } catch (RuntimeException e) {
                // Typically a queue the broker user may not browse (the broker's own, on a shared broker): the
                // others must still be listed.
                queues.put(queue, new Listing(null, null, shortReason(e)));
            }
        }
        return queues;
    }

    @WriteOperation
    public Map<String, Object> replay(@Selector String queue, @Nullable String messageId) {
        String target = replayTargets.get(queue);
        if (target == null) {
            throw new IllegalArgumentException("Not a dead-letter queue: " + queue + " (known: " + replayTargets.keySet() + ")");
        }
        boolean shared = isBrokers(queue);
        String selector = messageId == null ? null : "JMSMessageID = '" + messageId.replace("'", "''") + "'";
        // Only what is there now, each by its id: a replayed message that fails again comes back with a new id and
        // is not replayed twice; and no message is taken that is not to be resent.
        DeadLetterBrowser.Browsed browsed = browser.browse(queue, shared, selector);
        int replayed = 0;
        int duplicates = 0;
        List<Map<String, String>> skipped = new ArrayList<>();
        for (DeadLetterBrowser.DeadLetter letter : browsed.ours()) {
            if (letter.notReplayable() != null) {
                skipped.add(Map.of("messageId", letter.messageId(), "reason", letter.notReplayable()));
                continue;
            }
            DeadLetterResender.Replay replay = resender.replayOne(queue, letter.messageId(), target);
            if (replay != DeadLetterResender.Replay.GONE) {
                replayed++;
            }
            if (replay == DeadLetterResender.Replay.DUPLICATE) {
                duplicates++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("queue", queue);
        result.put("replayedTo", target);
        result.put("replayed", replayed);
        // of those, copies of a notification the node had stored already (a replay is checked as a webhook is)
        result.put("duplicates", duplicates);
        result.put("skipped", skipped);
        if (shared) {
            result.put("otherApplications", browsed.otherApplications());
        }
        return result;
    }

    /**
     * {@code DELETE /actuator/deadletters/{queue}?messageId=ID:...}: takes one message off a dead-letter queue for
     * good, once an operator has read its reason (an unclassifiable payload, which a replay only puts back). One
     * message, by its id: there is no "all".
     */
    @DeleteOperation
    public Map<String, Object> discard(@Selector String queue, String messageId, SecurityContext operator) {
        if (!replayTargets.containsKey(queue)) {
            throw new IllegalArgumentException("Not a dead-letter queue: " + queue + " (known: " + replayTargets.keySet() + ")");
        }
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("messageId is required: one message is discarded at a time");
        }
        boolean discarded = resender.discardOne(queue, messageId, isBrokers(queue));
        if (discarded) {
            // A notification gone for good: who and which, for whoever later asks where it went.
            LOG.info("Dead letter {} discarded from {} by {}", messageId, queue,
                    operator.getPrincipal() == null ? "an unknown user" : operator.getPrincipal().getName());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("queue", queue);
        result.put("messageId", messageId);
        result.put("discarded", discarded ? 1 : 0);
        return result;
    }

    boolean isBrokers(String queue) {
        return ORIGINAL_DESTINATION.equals(replayTargets.get(queue));
    }

    /** The broker's words in one line, enough to act on (the answer is for an operator, not a stack trace). */
    static String shortReason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // a broker URL may carry jms.password
        String line = message.lines().findFirst().orElse("").replaceAll("(?i)(password=)[^&\\s]*", "$1***");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
