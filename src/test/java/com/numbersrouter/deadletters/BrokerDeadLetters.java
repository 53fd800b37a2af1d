package com.numbersrouter.deadletters;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;

/**
 * Puts on a broker's dead-letter queue what the broker itself puts there when a consumer gives up on a message: the
 * message, recording the destination it came from (ActiveMQ's originalDestination).
 */
final class BrokerDeadLetters {

    private BrokerDeadLetters() {
    }

    /** @return the message's id */
    static String put(ActiveMQConnectionFactory client, String brokerQueue, ActiveMQDestination from, String text)
            throws JMSException {
        try (Connection connection = client.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            ActiveMQMessage message = (ActiveMQMessage) session.createTextMessage(text);
            message.setOriginalDestination(from);
            session.createProducer(session.createQueue(brokerQueue)).send(message);
            return message.getJMSMessageID();
        }
    }
}
