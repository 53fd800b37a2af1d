package com.numbersrouter.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
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
        "numbers-router.alerts.storm.window=1s",
        "numbers-router.dead-letters.count-interval=100ms"
})
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterReplayEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("dead-letter-broker");
    private static final int SMTP_PORT = FreePort.find();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry meters;

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
        await().atMost(10, TimeUnit.SECONDS).until(() -> deadLetters("DLQ.bandwidth.events") == 1);

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            assertThat(replay("DLQ.bandwidth.events")).contains("\"replayed\":1");
            await().atMost(20, TimeUnit.SECONDS).until(() -> smtp.getReceivedMessages().length == 1);
            // mailed again: as an alert or, inside the storm window the first attempt opened, as a digest
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains("9845550177");
            assertThat(list()).contains("\"DLQ.bandwidth.events\":{\"messages\":[]}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> deadLetters("DLQ.bandwidth.events") == 0);
        } finally {
            smtp.stop();
        }
    }

    /** Each test starts with none of another's dead letters. */
    @BeforeEach
    void emptyQueues() {
        BROKER.purge("stolen.orders");
        BROKER.purge("bandwidth.unclassified");
        BROKER.purge("ActiveMQ.DLQ");
        BROKER.purge("bandwidth.orders");
    }

    @Test
    void replayingAnUnclassifiablePayloadKeepsItWhereItWas() throws Exception {
        Instant posted = Instant.now();
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", "{\"not\":\"xml\"}").statusCode())
                .isEqualTo(400);
        Instant answered = Instant.now();
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"bandwidth.unclassified\":{\"messages\":[{"));
        String kept = messageIds(list());

        assertThat(replay("bandwidth.unclassified")).contains("\"replayed\":1");

        // taken off the queue and stored again (a new message, not the one left where it was), once: no copy
        await().atMost(10, TimeUnit.SECONDS).until(() -> !messageIds(list()).isEmpty() && !messageIds(list()).equals(kept));
        assertThat(messageIds(list())).doesNotContain(",");
        assertThat(BROKER.queueSize("bandwidth.unclassified")).isEqualTo(1);
        // back as it was: where it came in, why it was kept, and when it arrived (not when it was replayed)
        Message back = BROKER.receive("bandwidth.unclassified");
        assertThat(back.getStringProperty("WebhookEntry")).isEqualTo("all");
        assertThat(back.getStringProperty("DeadLetterReason")).isNotBlank();
        assertThat(Instant.parse(back.getStringProperty("BandwidthReceivedAt"))).isBetween(posted.minusMillis(1), answered);
    }

    /**
     * What a replay only puts back (a payload no route can classify) an operator discards once its reason is read:
     * that one message, for good; on the broker's shared queue, never another application's.
     */
    @Test
    void anOperatorDiscardsOneDeadLetterByItsIdAndNothingElse(CapturedOutput output) throws Exception {
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        assertThat(bandwidth.post("/webhooks/bandwidth", "{\"not\":\"xml\"}").statusCode()).isEqualTo(400);
        assertThat(bandwidth.post("/webhooks/bandwidth", "{\"also\":\"not xml\"}").statusCode()).isEqualTo(400);
        await().atMost(10, TimeUnit.SECONDS).until(() -> messageIds(list()).contains(","));
        String[] ids = messageIds(list()).split(",");
        giveUpOn("billing.invoices", "<Invoice/>");
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"otherApplications\":1"));
        String others = BROKER.messageIds("ActiveMQ.DLQ").get(0);

        Management operator = new Management(managementPort);
        String discarded = operator.send(operator.request("/actuator/deadletters/bandwidth.unclassified?messageId="
                + java.net.URLEncoder.encode(ids[0], java.nio.charset.StandardCharsets.UTF_8)).DELETE()).body();
        String notOurs = operator.send(operator.request("/actuator/deadletters/ActiveMQ.DLQ?messageId="
                + java.net.URLEncoder.encode(others, java.nio.charset.StandardCharsets.UTF_8)).DELETE()).body();
        int withoutId = operator.send(operator.request("/actuator/deadletters/bandwidth.unclassified").DELETE()).statusCode();
        int stranger = Management.anonymous(managementPort).send(Management.anonymous(managementPort)
                .request("/actuator/deadletters/bandwidth.unclassified?messageId=" + java.net.URLEncoder.encode(ids[1],
                        java.nio.charset.StandardCharsets.UTF_8)).DELETE()).statusCode();

        assertThat(discarded).contains("\"discarded\":1");
        assertThat(notOurs).contains("\"discarded\":0");
        assertThat(withoutId).isEqualTo(400);
        assertThat(stranger).isEqualTo(401);
        assertThat(messageIds(list())).isEqualTo(ids[1]);
        assertThat(BROKER.queueSize("ActiveMQ.DLQ")).isEqualTo(1);
        assertThat(output.getOut()).contains("Dead letter " + ids[0] + " discarded from bandwidth.unclassified by "
                + Management.USERNAME);
    }

    /** An order a node kept as unclassified (an older build, say) is stored as one on replay, as it arrived. */
    @Test
    void anUnclassifiedPayloadThatIsAnOrderNowIsStoredAsOneWithTheTimeItArrived() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage kept = session.createBytesMessage();
            kept.writeBytes(Orders.numbered(7001).getBytes(StandardCharsets.UTF_8));
            kept.setStringProperty("DeadLetterReason", "not an order or event");
            kept.setStringProperty("WebhookEntry", "all");
            kept.setStringProperty("BandwidthReceivedAt", "2026-01-02T03:04:05Z");
            session.createProducer(session.createQueue("bandwidth.unclassified")).send(kept);
        }

        assertThat(replay("bandwidth.unclassified")).contains("\"replayed\":1");

        Message order = BROKER.receive("bandwidth.orders");
        assertThat(order).isNotNull();
        assertThat(order.getStringProperty("OrderId")).isNotBlank();
        // kept in an older build's form, sent on in today's: to the millisecond, so that strings compare in time order
        assertThat(order.getStringProperty("BandwidthReceivedAt")).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(order.getObjectProperty("WebhookEntry")).isNull();
        assertThat(order.getObjectProperty("DeadLetterReason")).isNull();
    }

    /**
     * A replay is checked for duplicates as a webhook is: a kept copy of an order the node stored already is not
     * stored again, nor are two kept copies of one order stored twice. (Before, replays went straight to the queue.)
     */
    @Test
    void replayedCopiesOfAnOrderAlreadyStoredAreNotStoredAgain() throws Exception {
        BROKER.purge("bandwidth.unclassified");
        String stored = Orders.numbered(7002);
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", stored).statusCode()).isEqualTo(200);
        keepAsUnclassified(stored);
        keepAsUnclassified(Orders.numbered(7003));
        keepAsUnclassified(Orders.numbered(7003));

        // all three taken off the queue; two of them copies, which the answer says
        assertThat(replay("bandwidth.unclassified")).contains("\"replayed\":3").contains("\"duplicates\":2");

        assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(7002) + "'", 10_000)).isNotNull();
        assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(7003) + "'", 10_000)).isNotNull();
        assertThat(BROKER.receive("bandwidth.orders", "OrderId IN ('" + Orders.id(7002) + "', '" + Orders.id(7003) + "')",
                500)).as("a second copy").isNull();
        assertThat(BROKER.queueSize("bandwidth.unclassified")).isZero();
    }

    private static void keepAsUnclassified(String body) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage kept = session.createBytesMessage();
            kept.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            kept.setStringProperty("DeadLetterReason", "not an order or event");
            kept.setStringProperty("WebhookEntry", "all");
            session.createProducer(session.createQueue("bandwidth.unclassified")).send(kept);
        }
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
        // what an alert on waiting dead letters reads: the node's one, not the other application's
        await().atMost(10, TimeUnit.SECONDS).until(() -> deadLetters("ActiveMQ.DLQ") == 1);

        assertThat(replay("ActiveMQ.DLQ")).contains("\"replayed\":1").contains("\"otherApplications\":1");

        assertThat(BROKER.receive("bandwidth.orders")).isNotNull();
        await().atMost(10, TimeUnit.SECONDS).until(() -> deadLetters("ActiveMQ.DLQ") == 0);
        assertThat(((TextMessage) BROKER.receive("ActiveMQ.DLQ")).getText()).isEqualTo("<Invoice/>");
    }

    /**
     * A property that camel-jms would obey (CamelJmsDestinationName: send elsewhere), planted on a message of one of
     * the node's queues by anyone who may write there, does not steer the node's replay of it.
     */
    @Test
    void aPlantedCamelPropertyDoesNotRedirectTheReplay() throws Exception {
        giveUpOn("bandwidth.orders", "<Notification/>", "CamelJmsDestinationName", "stolen.orders");
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"ActiveMQ.DLQ\":{\"messages\":[{"));

        assertThat(replay("ActiveMQ.DLQ")).contains("\"replayed\":1");

        Message back = BROKER.receive("bandwidth.orders");
        assertThat(back).as("back on the queue it came from").isNotNull();
        assertThat(back.getObjectProperty("CamelJmsDestinationName")).isNull();
        assertThat(BROKER.queueSize("stolen.orders")).isZero();
    }

    /** Back from the broker's dead-letter queue to the unclassified queue as it was there: with its reason. */
    @Test
    void anUnclassifiedPayloadTheBrokerDeadLetteredGoesBackWithItsReason() throws Exception {
        giveUpOn("bandwidth.unclassified", "{\"not\":\"xml\"}", "DeadLetterReason", "Not XML");
        await().atMost(10, TimeUnit.SECONDS).until(() -> list().contains("\"ActiveMQ.DLQ\":{\"messages\":[{"));

        assertThat(replay("ActiveMQ.DLQ")).contains("\"replayed\":1");

        Message back = BROKER.receive("bandwidth.unclassified");
        assertThat(back).isNotNull();
        assertThat(back.getStringProperty("DeadLetterReason")).isEqualTo("Not XML");
    }

    private static void giveUpOn(String queue, String text) throws JMSException {
        giveUpOn(queue, text, "Sender", "test");
    }

    private static void giveUpOn(String queue, String text, String property, String value) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        factory.getRedeliveryPolicy().setMaximumRedeliveries(0);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty(property, value);
            session.createProducer(session.createQueue(queue)).send(message);
            session.commit();
            assertThat(session.createConsumer(session.createQueue(queue)).receive(5000)).isNotNull();
            session.rollback();
        }
    }

    /** The message ids of a listing, comma-separated, in order. */
    private static String messageIds(String listing) {
        return Pattern.compile("\"messageId\":\"([^\"]+)\"").matcher(listing).results()
                .map(match -> match.group(1)).collect(Collectors.joining(","));
    }

    /** The gauge an alert reads: the node's messages waiting in a dead-letter queue. */
    private double deadLetters(String queue) {
        return meters.get("numbers.router.dead.letters").tag("queue", queue).gauge().value();
    }

    private String list() {
        return new Management(managementPort).get("/actuator/deadletters");
    }

    private String replay(String queue) {
        return new Management(managementPort).post("/actuator/deadletters/" + queue, "{}");
    }
}
