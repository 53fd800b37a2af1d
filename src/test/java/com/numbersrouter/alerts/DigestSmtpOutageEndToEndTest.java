package com.numbersrouter.alerts;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.apache.activemq.ActiveMQConnectionFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batched events wait for their digest through an SMTP outage longer than the ActiveMQ client's 6 redeliveries:
 * before, the 7th failed window moved the whole batch to ActiveMQ.DLQ, silently, and no digest was ever sent. Now
 * they wait max-failed-digests windows (here 12, the default), then go to the alerts' dead-letter queue with the
 * reason. An event the digest cannot read goes there at once instead of holding the rest.
 * The windows are run by calling the digest, as its timer does every 5 minutes.
 */
@IsolatedNode
// each failed window is an attempt the mail throttle counts (20 a minute): not what these tests are about
@TestPropertySource(properties = "numbers-router.alerts.storm.max-mails-per-minute=1000")
class DigestSmtpOutageEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("digest-outage-broker");
    private static final int SMTP_PORT = FreePort.find();
    private static final String DIGEST_QUEUE = "bandwidth.events.digest";
    private static final String DIGEST_TIMER = "event-alert-digest";

    @Autowired
    AlertDigest digest;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    CamelContext camel;

    /**
     * The windows are the test's calls only: the digest's own timer (its first run a second after start, then every
     * 5 minutes) would add a failed window of its own, or send a digest, whenever it fell into a test.
     */
    @BeforeEach
    void windowsOnlyByTheTest() throws Exception {
        camel.getRouteController().stopRoute(DIGEST_TIMER);
        BROKER.drain(DIGEST_QUEUE);
        BROKER.drain("DLQ.bandwidth.events");
    }

    @AfterEach
    void restartTheDigestTimer() throws Exception {
        camel.getRouteController().startRoute(DIGEST_TIMER);
    }

    /** A digest SMTP keeps refusing (too large, a recipient refused) must not hold every digest after it for ever. */
    @Test
    void batchedEventsGoToTheAlertsDeadLettersAfterTwelveFailedWindows() throws Exception {
        String template = Payloads.read("events/messaging-lost.xml");
        batch(template.replace("9845550177", "9845550111"));
        batch(template.replace("9845550177", "9845550112"));

        for (int window = 1; window <= 11; window++) {
            assertThat(digest.sendPending()).as("window %d, SMTP down", window).isZero();
            assertThat(BROKER.receive("DLQ.bandwidth.events", null, 50)).as("window %d", window).isNull();
        }
        assertThat(digest.sendPending()).isZero();

        List<Message> deadLetters = BROKER.takeExactly("DLQ.bandwidth.events", 2);
        for (Message event : deadLetters) {
            assertThat(event.getStringProperty("DeadLetterReason")).startsWith("Digest not sent in 12 windows: ");
            assertThat(event.getIntProperty("DeadLetterAttempts")).isEqualTo(12);
            assertThat(event.getStringProperty("BandwidthReceivedAt")).isEqualTo("2026-11-28T02:00:00Z");
        }
        assertThat(((TextMessage) deadLetters.get(0)).getText()).contains("9845550111");
        assertThat(BROKER.receive(DIGEST_QUEUE, null, 300)).isNull();
        assertThat(BROKER.receive("ActiveMQ.DLQ", null, 300)).isNull();
    }

    @Test
    void batchedEventsOutlastTenFailedWindowsAndAreMailedWhenSmtpReturns() throws Exception {
        String template = Payloads.read("events/messaging-lost.xml");
        batch(template.replace("9845550177", "9845550101"));
        batch("not an event at all");
        batch(template.replace("9845550177", "9845550102"));

        double retriedBefore = retried();
        for (int window = 1; window <= 10; window++) {
            assertThat(digest.sendPending()).as("window %d, SMTP down", window).isZero();
        }
        // each failed window counted as it happened, where an alert rule sees the SMTP outage long before the 12th
        assertThat(retried() - retriedBefore).isEqualTo(10);

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            assertThat(digest.sendPending()).isEqualTo(2);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains("9845550101", "9845550102");
        } finally {
            smtp.stop();
        }
        assertThat(BROKER.receive("ActiveMQ.DLQ", null, 300)).as("nothing left to the broker's dead letters").isNull();
        TextMessage unreadable = (TextMessage) BROKER.receive("DLQ.bandwidth.events");
        assertThat(unreadable.getText()).isEqualTo("not an event at all");
        assertThat(unreadable.getStringProperty("DeadLetterReason")).startsWith("Not an event the digest can read");
        assertThat(BROKER.receive(DIGEST_QUEUE, null, 300)).isNull();
    }

    /** Two windows at once (an edit replaced the digest's route while its timer was mailing) make one digest. */
    @Test
    void twoWindowsAtOnceSendOneDigest() throws Exception {
        String template = Payloads.read("events/messaging-lost.xml");
        for (int n = 0; n < 10; n++) {
            batch(template.replace("9845550177", String.format("98455502%02d", n)));
        }
        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        ExecutorService timers = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            Callable<Integer> window = () -> {
                together.await();
                return digest.sendPending();
            };
            Future<Integer> oldTimer = timers.submit(window);
            Future<Integer> newTimer = timers.submit(window);

            assertThat(List.of(oldTimer.get(30, TimeUnit.SECONDS), newTimer.get(30, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder(10, 0);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
        } finally {
            timers.shutdownNow();
            smtp.stop();
        }
    }

    /** What the storm guard does with the events of a window after its first: onto the digest queue. */
    private double retried() {
        return meters.get("numbers.router.alerts").tag("outcome", "retried").counter().count();
    }

    private static void batch(String xml) throws JMSException {
        try (Connection connection = new ActiveMQConnectionFactory(BROKER.url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(DIGEST_QUEUE));
            TextMessage message = session.createTextMessage(xml);
            message.setStringProperty("BandwidthReceivedAt", "2026-11-28T02:00:00Z");
            producer.send(message, DeliveryMode.PERSISTENT, 4, 0);
        }
    }
}
