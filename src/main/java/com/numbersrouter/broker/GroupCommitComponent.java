package com.numbersrouter.broker;

import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code jms-group-commit:queue:<name>} (or {@code topic:<name>}): the route step that puts an order or event on the
 * broker with group commit ({@link BrokerGroupCommit}), written like the {@code jms:} step it replaces, so the route
 * still reads "to this queue" and an operator edits the name in the same place. Produce only: read with {@code jms:}.
 * <p>
 * Camel finds the component by its scheme (META-INF/services), also in the scratch context that checks edited
 * routes; the {@link BrokerGroupCommit} bean is looked up only when a message is sent.
 */
public class GroupCommitComponent extends DefaultComponent {

    public static final String SCHEME = "jms-group-commit";
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        boolean named = remaining.startsWith(BrokerGroupCommit.QUEUE) && remaining.length() > BrokerGroupCommit.QUEUE.length()
                || remaining.startsWith(BrokerGroupCommit.TOPIC) && remaining.length() > BrokerGroupCommit.TOPIC.length();
        if (!named) {
            throw new IllegalArgumentException("Write " + SCHEME + ":queue:<name> or " + SCHEME + ":topic:<name>, not " + uri);
        }
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException(SCHEME + " takes no options (see numbers-router.broker.group-commit.*): "
                    + parameters.keySet());
        }
        return new DestinationEndpoint(uri, this, remaining);
    }

    static final class DestinationEndpoint extends DefaultEndpoint {

        /** {@code queue:<name>} or {@code topic:<name>} */
        private final String destination;

        DestinationEndpoint(String uri, GroupCommitComponent component, String destination) {
            super(uri, component);
            this.destination = destination;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    BrokerGroupCommit.Batch batch =
                            exchange.getProperty(BrokerGroupCommit.BATCH_PROPERTY, BrokerGroupCommit.Batch.class);
                    if (batch != null) {
                        batch.add(exchange, destination); // committed with the rest of the batch by its caller
                    } else {
                        getCamelContext().getRegistry().findSingleByType(BrokerGroupCommit.class).send(exchange, destination);
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
