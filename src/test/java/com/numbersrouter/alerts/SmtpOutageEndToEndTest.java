package com.numbersrouter.alerts;

import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An SMTP outage is ridden out: alerts accepted while the mail server is down are retried with back-off and all
 * go out, once each and in arrival order, when it comes back. The real SMTP server is started only mid-test.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.alerts.retry.initial-delay=100",
        "numbers-router.alerts.retry.max-delay=500"
})
class SmtpOutageEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("smtp-outage-broker");
    private static final int SMTP_PORT = FreePort.find();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Test
    void alertsQueuedDuringAnOutageAreAllSentInOrderWhenSmtpReturns() throws Exception {
        String template = Payloads.read("events/messaging-lost.xml");
        BandwidthClient client = BandwidthClient.bandwidth(port);
        // Three event types, so none is batched by the storm guard: each is an alert of its own.
        for (int n = 1; n <= 3; n++) {
            String event = template.replace("9845550177", "98455501" + String.format("%02d", n))
                    .replace("MESSAGING_LOST", "MESSAGING_LOST_" + n);
            assertThat(client.post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);
        }

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> smtp.getReceivedMessages().length >= 3);
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(3);
            for (int n = 1; n <= 3; n++) {
                assertThat(body(mails[n - 1])).contains("98455501" + String.format("%02d", n));
            }
            assertThat(BROKER.receive("DLQ.bandwidth.events", null, 300)).isNull();
        } finally {
            smtp.stop();
        }
    }

    private static String body(MimeMessage mail) {
        return GreenMailUtil.getBody(mail);
    }
}
