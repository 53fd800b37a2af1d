package com.numbersrouter.broker;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.SingleConnectionFactory;

/** The bean routes/orders.camel.yaml and routes/events.camel.yaml call to put notifications on the broker. */
@Configuration(proxyBeanMethods = false)
public class GroupCommitConfiguration {

    @Bean
    public BrokerGroupCommit brokerGroupCommit(ConnectionFactory connectionFactory, CamelContext camel,
            GroupCommitProperties properties, MeterRegistry meters) {
        return new BrokerGroupCommit(forTransactions(connectionFactory), camel, properties, meters);
    }

    /**
     * The committer's own connection. With spring.activemq.send-timeout set, ActiveMQ makes every send wait for the
     * broker's answer, even inside a transaction, and a transaction of 50 messages would cost 50 round trips. The
     * committer's sends go out without waiting; the commit waits for all of them, and fails if any failed.
     * The group-commit timeout bounds how long a webhook waits for it.
     */
    static ConnectionFactory forTransactions(ConnectionFactory connectionFactory) {
        ConnectionFactory target = connectionFactory instanceof SingleConnectionFactory shared
                && shared.getTargetConnectionFactory() != null ? shared.getTargetConnectionFactory() : connectionFactory;
        if (target instanceof ActiveMQConnectionFactory activeMq) {
            ActiveMQConnectionFactory committer = activeMq.copy();
            committer.setSendTimeout(0);
            committer.setAlwaysSyncSend(false);
            if (committer.getClientID() != null) {
                // A broker allows a client id on one connection at a time, and the node's own connection has it
                // (jms.clientID in the URL): the committers' connections would all be refused. Theirs are told
                // apart by the broker's usual suffix instead.
                committer.setClientIDPrefix(committer.getClientID() + "-group-commit");
                committer.setClientID(null);
            }
            return committer;
        }
        return connectionFactory;
    }
}
