package com.numbersrouter.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
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

/**
 * The in-process broker with a consumer user for an ESB: it reads the orders, and may neither take the alert mailer's
 * events (they would never be alerted) nor send an order of its own (a forged one, past the webhook's login). The
 * node's own user keeps every right it needs: the order is stored and the event alerted.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.embedded-broker.connector=tcp://127.0.0.1:0",
        "numbers-router.embedded-broker.password=node-Broker-Secret-51a2",
        "numbers-router.embedded-broker.consumer-username=esb",
        "numbers-router.embedded-broker.consumer-password=" + EmbeddedBrokerConsumerUserEndToEndTest.ESB_PASSWORD})
class EmbeddedBrokerConsumerUserEndToEndTest {

    static final String ESB_PASSWORD = "esb-Reader-Secret-0c9d";

    @LocalServerPort
    int port;

    @Autowired
    BrokerService embeddedBroker;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void anEsbReadsTheOrdersAndNothingMore(CapturedOutput output) throws Exception {
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("orders/portin-foc.xml")).statusCode())
                .isEqualTo(200);
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                .isEqualTo(200);
        // the node's own consumer of the events queue still may read it
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("Alert delivered to"));

        ActiveMQConnectionFactory esb = new ActiveMQConnectionFactory("esb", ESB_PASSWORD,
                EmbeddedBrokers.tcpUrl(embeddedBroker));
        try (Connection connection = esb.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message order = session.createConsumer(session.createQueue("bandwidth.orders")).receive(10_000);
            assertThat(order).as("the order, read by the ESB's user").isNotNull();

            assertThatThrownBy(() -> session.createConsumer(session.createQueue("bandwidth.events")))
                    .as("the alert mailer's queue").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createProducer(session.createQueue("bandwidth.orders"))
                    .send(session.createTextMessage("<Notification/>")))
                    .as("a forged order").isInstanceOf(JMSSecurityException.class);
        }
        assertThat(output.getOut()).doesNotContain(ESB_PASSWORD);
    }
}
