package com.numbersrouter.infra;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process broker with the operator's own username and password: the node's connections present them (the
 * order below could not reach the broker otherwise, and would wait in the spool), an ESB consumes with them, and the
 * password is never logged.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.embedded-broker.connector=tcp://127.0.0.1:0",
        "numbers-router.embedded-broker.username=" + EmbeddedBrokerCredentialsEndToEndTest.USERNAME,
        "numbers-router.embedded-broker.password=" + EmbeddedBrokerCredentialsEndToEndTest.PASSWORD})
class EmbeddedBrokerCredentialsEndToEndTest {

    static final String USERNAME = "esb";
    static final String PASSWORD = "configured-Broker-Secret-7c41";

    @LocalServerPort
    int port;

    @Autowired
    BrokerService embeddedBroker;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void theNodeAndAnEsbUseTheConfiguredCredentialsAndThePasswordIsNeverLogged(CapturedOutput output) throws Exception {
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Payloads.read("orders/portin-foc.xml"))
                .statusCode()).isEqualTo(200);
        String tcp = EmbeddedBrokers.tcpUrl(embeddedBroker);

        try (Connection connection = new ActiveMQConnectionFactory(USERNAME, PASSWORD, tcp).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message order = session.createConsumer(session.createQueue("bandwidth.orders")).receive(10_000);
            assertThat(order).as("the order, sent by the node with the configured credentials").isNotNull();
        }
        EmbeddedBrokers.assertRefused(new ActiveMQConnectionFactory(EmbeddedBrokerProperties.DEFAULT_USERNAME, PASSWORD,
                tcp), "the default username, once another is configured");

        assertThat(output.getOut()).doesNotContain(PASSWORD).doesNotContain("generated in-process broker credentials");
    }
}
