package com.numbersrouter.broker;

import com.numbersrouter.support.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committer's connection: the broker, user and password Spring Boot configured, but without the send timeout
 * that would make each send inside a transaction a round trip of its own (half the throughput, measured).
 */
class GroupCommitConfigurationTest {

    @Test
    void theCommitterConnectsLikeTheNodeButSendsWithoutWaitingForEachMessage() {
        ActiveMQConnectionFactory configured = new ActiveMQConnectionFactory("esb", "secret", "tcp://mq.example:61616");
        configured.setSendTimeout(5000);
        ConnectionFactory cached = new CachingConnectionFactory(configured);

        ConnectionFactory committer = GroupCommitConfiguration.forTransactions(cached);

        assertThat(committer).isInstanceOf(ActiveMQConnectionFactory.class).isNotSameAs(configured);
        ActiveMQConnectionFactory activeMq = (ActiveMQConnectionFactory) committer;
        assertThat(activeMq.getSendTimeout()).isZero();
        assertThat(activeMq.getBrokerURL()).isEqualTo("tcp://mq.example:61616");
        assertThat(activeMq.getUserName()).isEqualTo("esb");
        assertThat(activeMq.getPassword()).isEqualTo("secret");
        assertThat(configured.getSendTimeout()).as("the node's other senders keep their timeout").isEqualTo(5000);
    }

    /** A broker that requires a client id (jms.clientID in the URL) still takes the committers' connections. */
    @Test
    void theCommittersConnectBesideTheNodesConnectionWhenTheUrlSetsAClientId() throws Exception {
        TestBroker broker = TestBroker.start("client-id-broker");
        ActiveMQConnectionFactory configured = new ActiveMQConnectionFactory(broker.url() + "?jms.clientID=numbers-router");
        ConnectionFactory committers = GroupCommitConfiguration.forTransactions(new CachingConnectionFactory(configured));
        try (Connection node = configured.createConnection();
                Connection first = committers.createConnection();
                Connection second = committers.createConnection()) {
            node.start();
            first.start();
            second.start();
            assertThat(node.getClientID()).isEqualTo("numbers-router");
            assertThat(first.getClientID()).startsWith("numbers-router-group-commit").isNotEqualTo(second.getClientID());
        } finally {
            broker.stop();
        }
    }

    @Test
    void anotherBrokersConnectionFactoryIsUsedAsItIs() {
        ConnectionFactory other = new CachingConnectionFactory();
        assertThat(GroupCommitConfiguration.forTransactions(other)).isSameAs(other);
    }
}
