package com.numbersrouter.deadletters;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters an operator can act on: an alert that could not be mailed is listed with its reason on the
 * management port, and replayed once SMTP is back; an unclassified payload can be replayed without being lost.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.alerts.retry.max-redeliveries=1",
        "numbers-router.alerts.retry.initial-delay=50",
        "numbers-router.alerts.retry.max-delay=50",
        // a replayed alert may fall into the storm window its first attempt opened: keep that window short
        "numbers-router.alerts.storm.window=1s"
})
class DeadLetterReplayEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("dead-letter-broker");
    private static final int SMTP_PORT = FreePort.find();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Test
    void aDeadAlertIsListedWithItsReasonAndReplayedOnceSmtpIsBack() throws Exception {
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth",
                Payloads.read("events/messaging-lost.xml")).statusCode()).isEqualTo(200);

        await().atMost(20, TimeUnit.SECONDS).until(() -> list().contains("\"DLQ.bandwidth.events\":{\"messages\":[{"));
        assertThat(list()).contains("\"DeadLetterReason\":\"").contains("\"EventType\":\"MESSAGING_LOST\"")
                .contains("\"DeadLetterAttempts\":2").doesNotContain("9845550177");

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            assertThat(replay("DLQ.bandwidth.events")).contains("\"replayed\":1");
            await().atMost(20, TimeUnit.SECONDS).until(() -> smtp.getReceivedMessages().length == 1);
            // mailed again: as an alert or, inside the storm window the first attempt opened, as a digest
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains("9845550177");
            assertThat(list()).contains("\"DLQ.bandwidth.events\":{\"messages\":[]}");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void replayingAnUnclassifiablePayloadKeepsItWhereItWas() {
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", "{\"not\":\"xml\"}").statusCode())
                .isEqualTo(400);
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"bandwidth.unclassified\":{\"messages\":[{"));

        assertThat(replay("bandwidth.unclassified")).contains("\"replayed\":1");

        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"bandwidth.unclassified\":{\"messages\":[{"));
    }

    @Test
    void whatTheBrokerDeadLetteredFromTheNodesQueuesIsListedAndReplayedToWhereItCameFrom() throws Exception {
        // Transacted consumers that give up (an ESB route on the node's orders queue, and another application on a
        // queue of its own): the broker moves both to ActiveMQ.DLQ and records the queue each came from.
        giveUpOn("bandwidth.orders", "<Notification/>");
        giveUpOn("billing.invoices", "<Invoice/>");
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"ActiveMQ.DLQ\":{\"messages\":[{")
                && list().contains("\"otherApplications\":1"));
        assertThat(list()).contains("queue://bandwidth.orders").doesNotContain("billing.invoices");

        assertThat(replay("ActiveMQ.DLQ")).contains("\"replayed\":1").contains("\"otherApplications\":1");

        assertThat(BROKER.receive("bandwidth.orders")).isNotNull();
        assertThat(((TextMessage) BROKER.receive("ActiveMQ.DLQ")).getText()).isEqualTo("<Invoice/>");
    }

    private static void giveUpOn(String queue, String text) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        factory.getRedeliveryPolicy().setMaximumRedeliveries(0);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
            session.commit();
            assertThat(session.createConsumer(session.createQueue(queue)).receive(5000)).isNotNull();
            session.rollback();
        }
    }

    private String list() {
        return new Management(managementPort).get("/actuator/deadletters");
    }

    private String replay(String queue) {
        return new Management(managementPort).post("/actuator/deadletters/" + queue, "{}");
    }
}
