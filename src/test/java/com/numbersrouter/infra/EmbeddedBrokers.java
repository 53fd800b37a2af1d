package com.numbersrouter.infra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;

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

    /** Connects and opens a session: ActiveMQ sends the credentials only then, so a refusal shows here. */
    static void connect(ConnectionFactory factory) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        }
    }
}
