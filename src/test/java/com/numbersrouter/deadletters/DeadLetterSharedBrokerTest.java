package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.numbersrouter.support.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.AuthorizationPlugin;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.core.JmsTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node on an operator's broker that other applications use too: their dead letters share the broker's
 * dead-letter queue with the node's, and the node's broker user may not be allowed to read it. Real broker over TCP,
 * real Camel JMS for the resend.
 */
class DeadLetterSharedBrokerTest {

    private static final String BROKER_DLQ = "ActiveMQ.DLQ";
    private static final String ALERTS_DLQ = "DLQ.bandwidth.events";
    private static final NodeQueues NODE_QUEUES = new NodeQueues(Set.of("bandwidth.orders", "bandwidth.events",
            ALERTS_DLQ));

    private TestBroker broker;
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        broker.stop();
    }

    /**
     * An operator's broker with ActiveMQ's defaults moves a port-out decision that expired unread to its dead-letter
     * queue: it is the node's, counted and listed, and the listing says which decision it was and that it expired.
     */
    @Test
    void aDecisionThatExpiredUnreadOnTheOperatorsBrokerIsListedAsExpired() throws Exception {
        broker = TestBroker.start("expiring-broker");
        ActiveMQConnectionFactory client = new ActiveMQConnectionFactory(broker.url());
        try (Connection connection = client.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("bandwidth.portout.decisions"));
            TextMessage decision = session.createTextMessage("{\"pon\":\"WIN-UNREAD\"}");
            decision.setStringProperty("PON", "WIN-UNREAD");
            // expires in 200 ms rather than days
            producer.send(decision, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 200);
        }
        JmsTemplate jms = new JmsTemplate(client);
        DeadLetterBrowser browser = new DeadLetterBrowser(jms,
                new NodeQueues(Set.of("bandwidth.orders", "bandwidth.portout.decisions")));

        // ActiveMQ looks for expired messages every 30 s, and whenever a queue is browsed, as here
        await().atMost(Duration.ofSeconds(10)).until(() ->
                jms.browse("bandwidth.portout.decisions", (session, queue) -> queue.getEnumeration().hasMoreElements()) == Boolean.FALSE
                        && browser.count(BROKER_DLQ, true) == 1);
        List<DeadLetterBrowser.DeadLetter> listed = browser.browse(BROKER_DLQ, true, null).ours();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).shown())
                .containsEntry("originalDestination", "queue://bandwidth.portout.decisions")
                .containsEntry("PON", "WIN-UNREAD");
        assertThat((Long) listed.get(0).shown().get("originalExpiration")).as("when it expired").isPositive();
    }

    @Test
    void onlyTheNodesOwnMessagesOnTheBrokersDeadLetterQueueAreListedAndReplayed() throws Exception {
        broker = TestBroker.start("shared-broker");
        ActiveMQConnectionFactory client = new ActiveMQConnectionFactory(broker.url());
        String ours = BrokerDeadLetters.put(client, BROKER_DLQ, new ActiveMQQueue("bandwidth.orders"), "<Notification/>");
        String billing = BrokerDeadLetters.put(client, BROKER_DLQ, new ActiveMQQueue("billing.invoices"), "<Invoice/>");
        // a topic of the same name as the node's queue is another application's
        String topic = BrokerDeadLetters.put(client, BROKER_DLQ, new ActiveMQTopic("bandwidth.orders"), "<Broadcast/>");
        DeadLetterEndpoint endpoint = endpoint(client);

        DeadLetterEndpoint.Listing listed = endpoint.list().get(BROKER_DLQ);
        assertThat(listed.messages()).extracting(message -> message.get("messageId")).containsExactly(ours);
        assertThat(listed.otherApplications()).isEqualTo(2);
        assertThat(listed.toString()).doesNotContain(billing, topic, "billing.invoices", "topic://");

        assertThat(endpoint.replay(BROKER_DLQ, billing)).containsEntry("replayed", 0).containsEntry("otherApplications", 1);
        assertThat(endpoint.replay(BROKER_DLQ, null)).containsEntry("replayed", 1).containsEntry("otherApplications", 2);

        assertThat(((TextMessage) broker.receive("bandwidth.orders")).getText()).isEqualTo("<Notification/>");
        assertThat(broker.receive("billing.invoices", null, 500)).isNull();
        // still on the broker's dead-letter queue, never taken (a message taken and put back is redelivered)
        List<Message> left = broker.drain(BROKER_DLQ);
        assertThat(left).extracting(Message::getJMSMessageID).containsExactly(billing, topic);
        assertThat(left).extracting(Message::getJMSRedelivered).containsOnly(false);
    }

    @Test
    void aQueueTheNodeMayNotReadIsAnErrorWhileTheOthersAreStillReplayedAndListed() throws Exception {
        broker = TestBroker.start("shared-broker-with-authorization", authentication(), authorization());
        ActiveMQConnectionFactory operator = new ActiveMQConnectionFactory("ops", "ops-secret", broker.url());
        BrokerDeadLetters.put(operator, BROKER_DLQ, new ActiveMQQueue("bandwidth.orders"), "<Notification/>");
        ActiveMQConnectionFactory node = new ActiveMQConnectionFactory("node", "node-secret", broker.url());
        send(node, ALERTS_DLQ, "<Notification>alert-1</Notification>");
        DeadLetterEndpoint endpoint = endpoint(node);

        assertThat(endpoint.replay(ALERTS_DLQ, null)).containsEntry("replayed", 1);
        assertThat(receive(node, "bandwidth.events")).isEqualTo("<Notification>alert-1</Notification>");
        send(node, ALERTS_DLQ, "<Notification>alert-2</Notification>");
        Map<String, DeadLetterEndpoint.Listing> listed = endpoint.list();

        assertThat(listed.get(ALERTS_DLQ).messages()).hasSize(1);
        assertThat(listed.get(BROKER_DLQ).messages()).isNull();
        assertThat(listed.get(BROKER_DLQ).error()).contains("not authorized to read from: queue://ActiveMQ.DLQ")
                .doesNotContain("\n", "\tat ");
    }

    private DeadLetterEndpoint endpoint(ActiveMQConnectionFactory client) {
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponent(client));
        camel.start();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put(ALERTS_DLQ, "jms:queue:bandwidth.events?exchangePattern=InOnly");
        targets.put(BROKER_DLQ, DeadLetterEndpoint.ORIGINAL_DESTINATION);
        return new DeadLetterEndpoint(client, camel.createProducerTemplate(), targets, NODE_QUEUES);
    }

    private static void send(ActiveMQConnectionFactory client, String queue, String text) throws JMSException {
        try (Connection connection = client.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        }
    }

    private static String receive(ActiveMQConnectionFactory client, String queue) throws JMSException {
        try (Connection connection = client.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message message = session.createConsumer(session.createQueue(queue)).receive(10_000);
            return message == null ? null : ((TextMessage) message).getText();
        }
    }

    private static BrokerPlugin authentication() {
        return new SimpleAuthenticationPlugin(List.of(new AuthenticationUser("node", "node-secret", "node"),
                new AuthenticationUser("ops", "ops-secret", "admins")));
    }

    /** The usual set-up of a shared broker: each application its own queues; the broker's DLQ for its operators. */
    private static BrokerPlugin authorization() throws Exception {
        return new AuthorizationPlugin(new DefaultAuthorizationMap(List.of(
                queues("bandwidth.>", "node,admins"),
                queues("DLQ.bandwidth.>", "node,admins"),
                queues(BROKER_DLQ, "admins"),
                advisories("node,admins"))));
    }

    private static DestinationMapEntry queues(String name, String roles) throws Exception {
        AuthorizationEntry entry = new AuthorizationEntry();
        entry.setQueue(name);
        entry.setRead(roles);
        entry.setWrite(roles);
        entry.setAdmin(roles);
        return entry;
    }

    private static DestinationMapEntry advisories(String roles) throws Exception {
        AuthorizationEntry entry = new AuthorizationEntry();
        entry.setTopic("ActiveMQ.Advisory.>");
        entry.setRead(roles);
        entry.setWrite(roles);
        entry.setAdmin(roles);
        return entry;
    }
}
