package com.numbersrouter.portout.audit;

import java.util.List;

import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.portout.PortOutDecision;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The feed's publisher: each decision goes through the route {@code routes/portout-audit.camel.yaml} defines (so an
 * operator shapes the message and picks the queue there), and the route's {@code jms-group-commit:} step adds it to
 * one batch, committed when the last decision has been through: one broker transaction for the lot.
 */
public class DecisionPublishRoute implements PortOutDecisionFeed.Publisher {

    private final CamelContext camel;
    private final BrokerGroupCommit groupCommit;
    private final String uri;
    private ProducerTemplate template; // the feed's thread only

    public DecisionPublishRoute(CamelContext camel, BrokerGroupCommit groupCommit, String uri) {
        this.camel = camel;
        this.groupCommit = groupCommit;
        this.uri = uri;
    }

    @Override
    public void publish(List<PortOutDecision> decisions) throws Exception {
        if (template == null) {
            // made at the first publish, once Camel runs, not while Spring is still creating beans
            template = camel.createProducerTemplate();
        }
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        for (PortOutDecision decision : decisions) {
            Exchange done = template.send(uri, exchange -> {
                exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
                exchange.getMessage().setBody(decision);
            });
            if (done.getException() != null) {
                throw done.getException();
            }
        }
        batch.commit();
    }
}
