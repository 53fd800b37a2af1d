package com.numbersrouter.infra;

import java.util.function.IntPredicate;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What tests of the in-process broker do over its TCP connector, as an ESB would. */
final class EmbeddedBrokers {

    private EmbeddedBrokers() {
    }

    /** The address of the broker's OpenWire connector (its port is chosen at start-up in tests). */
    static String tcpUrl(BrokerService broker) throws Exception {
        for (TransportConnector connector : broker.getTransportConnectors()) {
            String uri = connector.getPublishableConnectURI().toString();
            if (uri.startsWith("tcp:")) {
                return uri;
            }
        }
        throw new IllegalStateException("the in-process broker has no TCP connector");
    }

    /**
     * Asserts that the broker refuses a connection from {@code factory}. ActiveMQ answers with a JMSSecurityException,
     * and closes the connection; a client whose next packet crosses that close sees "Disposed due to prior exception"
     * instead (seen once in a day of CI runs). Both are the refusal: a connection with the right credentials is
     * accepted in the same tests.
     */
    static void assertRefused(ConnectionFactory factory, String why) {
        assertThatThrownBy(() -> connect(factory)).as(why).isInstanceOf(JMSException.class)
                .satisfiesAnyOf(
                        refused -> assertThat(refused).isInstanceOf(JMSSecurityException.class),
                        refused -> assertThat(refused).hasMessageContaining("Disposed due to prior exception"));
    }

    /** Takes one message from {@code queue} over TCP with the broker's credentials, as an ESB would (null if none). */
    static Message receiveAsEsb(BrokerService broker, EmbeddedBrokerProperties credentials, String queue)
            throws Exception {
        ActiveMQConnectionFactory esb = new ActiveMQConnectionFactory(credentials.username(), credentials.password(),
                tcpUrl(broker));
        try (Connection connection = esb.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            return session.createConsumer(session.createQueue(queue)).receive(10_000);
        }
    }

    /**
     * Another application's backlog: persistent 10 KB messages on {@code queue}, sent inside the JVM with the broker's
     * credentials until {@code enough} holds for the number sent. A send that flow control holds fails after 5 s.
     */
    static void sendBacklog(EmbeddedBrokerProperties credentials, String queue, IntPredicate enough) throws JMSException {
        ActiveMQConnectionFactory application = new ActiveMQConnectionFactory(credentials.username(),
                credentials.password(), "vm://numbers-router?create=false");
        application.setSendTimeout(5000);
        try (Connection connection = application.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int sent = 0; !enough.test(sent); sent++) {
                producer.send(session.createTextMessage("x".repeat(10_000)));
            }
        }
    }

    /** Connects and opens a session: ActiveMQ sends the credentials only then, so a refusal shows here. */
    static void connect(ConnectionFactory factory) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        }
    }
}
