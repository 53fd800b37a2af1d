package com.numbersrouter.alerts;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event whose mailing was cut short many times (the node restarted, its route replaced by an edit, the broker
 * bounced, during one SMTP outage) is still mailed: the ActiveMQ client would otherwise move it to ActiveMQ.DLQ at
 * its 7th delivery, silently, and the alert would never go out.
 */
class EventRedeliveryEndToEndTest extends NodeTest {

    private static final String EVENTS = "bandwidth.events";
    private static final String ALERT_ROUTE = "event-alert-mail";

    @Autowired
    CamelContext camel;

    @Test
    void anEventRolledBackSevenTimesIsStillMailed() throws Exception {
        SMTP.purgeEmailFromAllMailboxes();
        long brokerDeadLetters = BROKER.queueSize("ActiveMQ.DLQ");
        String event = Payloads.read("events/messaging-lost.xml").replace("9845550177", "9845550166");

        camel.getRouteController().stopRoute(ALERT_ROUTE);
        try {
            assertThat(bandwidth().post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);
            for (int delivery = 1; delivery <= 7; delivery++) {
                assertThat(receiveAndRollBack()).as("deliveries so far").isEqualTo(delivery);
            }
        } finally {
            camel.getRouteController().startRoute(ALERT_ROUTE);
        }

        await().atMost(20, TimeUnit.SECONDS).until(() -> SMTP.getReceivedMessages().length >= 1);
        assertThat(GreenMailUtil.getBody(SMTP.getReceivedMessages()[0])).contains("9845550166");
        assertThat(BROKER.queueSize("ActiveMQ.DLQ")).isEqualTo(brokerDeadLetters);
        assertThat(BROKER.queueSize(EVENTS)).isZero();
    }

    /**
     * What a cut-short mailing leaves: the event taken in a transaction that does not commit. Returns the event's
     * delivery count as the broker keeps it.
     */
    private static int receiveAndRollBack() throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        RedeliveryPolicy keep = factory.getRedeliveryPolicy();
        keep.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES);
        keep.setInitialRedeliveryDelay(0);
        keep.setRedeliveryDelay(0);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Message taken = session.createConsumer(session.createQueue(EVENTS)).receive(10_000);
            assertThat(taken).as("the event on its queue").isNotNull();
            int deliveries = taken.getIntProperty("JMSXDeliveryCount");
            session.rollback();
            return deliveries;
        }
    }
}
