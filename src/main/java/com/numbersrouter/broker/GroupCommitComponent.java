package com.numbersrouter.broker;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code jms-group-commit:queue:<name>} (or {@code topic:<name>}): the route step that puts an order or event on the
 * broker with group commit ({@link BrokerGroupCommit}), written like the {@code jms:} step it replaces, so the route
 * still reads "to this queue" and an operator edits the name in the same place. Produce only: read with {@code jms:}.
 * One option, {@code timeToLive} (the port-out decisions feed's): messages are persistent and, without it, never expire.
 * <p>
 * Camel finds the component by its scheme (META-INF/services), also in the scratch context that checks edited
 * routes; the {@link BrokerGroupCommit} bean is looked up only when a message is sent.
 */
public class GroupCommitComponent extends DefaultComponent {

    public static final String SCHEME = "jms-group-commit";
    /** The one option: how long the broker keeps the message (JMS expiration); none, or 0: never expires. */
    static final String TIME_TO_LIVE = "timeToLive";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        boolean named = remaining.startsWith(BrokerGroupCommit.QUEUE) && remaining.length() > BrokerGroupCommit.QUEUE.length()
                || remaining.startsWith(BrokerGroupCommit.TOPIC) && remaining.length() > BrokerGroupCommit.TOPIC.length();
        if (!named) {
            throw new IllegalArgumentException("Write " + SCHEME + ":queue:<name> or " + SCHEME + ":topic:<name>, not " + uri);
        }
        Duration timeToLive = timeToLive(parameters.remove(TIME_TO_LIVE));
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException(SCHEME + " takes no option but " + TIME_TO_LIVE
                    + " (see numbers-router.broker.group-commit.*): " + parameters.keySet());
        }
        return new DestinationEndpoint(uri, this, remaining, timeToLive);
    }

    /**
     * As Spring Boot reads a duration ({@code 7d}, {@code 12h}, {@code PT30M}; a bare number is milliseconds, as
     * camel-jms's {@code timeToLive}), so that the route can take it from a {@code numbers-router.*} property. Camel's
     * own parser would read {@code P7D} as 0, that is never expire, without a word.
     */
    static Duration timeToLive(Object value) {
        if (value == null || value.toString().isBlank()) {
            return Duration.ZERO;
        }
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(value.toString().trim());
            parsed.toMillis(); // what the send needs: one too long for it fails here, not at every send
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(SCHEME + ": " + TIME_TO_LIVE + "=" + value
                    + " is not a duration (write 7d, 12h, 30m or PT30M; 0 never expires)");
        }
        if (parsed.isNegative()) {
            throw new IllegalArgumentException(SCHEME + ": " + TIME_TO_LIVE + " must not be negative: " + value);
        }
        return parsed;
    }

    static final class DestinationEndpoint extends DefaultEndpoint {

        /** {@code queue:<name>} or {@code topic:<name>} */
        private final String destination;
        private final Duration timeToLive;

        DestinationEndpoint(String uri, GroupCommitComponent component, String destination, Duration timeToLive) {
            super(uri, component);
            this.destination = destination;
            this.timeToLive = timeToLive;
        }

        Duration timeToLive() {
            return timeToLive;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    BrokerGroupCommit.Batch batch =
                            exchange.getProperty(BrokerGroupCommit.BATCH_PROPERTY, BrokerGroupCommit.Batch.class);
                    if (batch != null) {
                        batch.add(exchange, destination, timeToLive); // committed with the rest of the batch by its caller
                    } else {
                        getCamelContext().getRegistry().findSingleByType(BrokerGroupCommit.class)
                                .send(exchange, destination, timeToLive);
                    }
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException(SCHEME + " only sends; read with jms:" + destination);
        }
    }
}
