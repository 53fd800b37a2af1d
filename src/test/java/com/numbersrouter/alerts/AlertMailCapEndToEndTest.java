package com.numbersrouter.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import com.numbersrouter.support.TestSmtp;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hard cap on alert e-mails ({@code numbers-router.alerts.storm.max-mails-per-minute}): events of three types,
 * each the first of its window and so each its own mail, with a cap of 2. Two mails go out at once; the third waits
 * for the next minute, held, not dropped and not dead-lettered (its event stays unacknowledged on the queue
 * meanwhile: a node stopped before then leaves it on the queue for the next run).
 */
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.alerts.storm.max-mails-per-minute=2",
        "numbers-router.alerts.to=noc@example.net",
        "numbers-router.alerts.from=numbers-router@example.net",
        // no digest falls into the test
        "numbers-router.alerts.storm.window=1h"
})
class AlertMailCapEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("alert-cap-broker");
    private static final GreenMail SMTP = TestSmtp.start();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> TestSmtp.port(SMTP));
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void mailsBeyondTheCapWaitForTheNextMinuteAndAStopLeavesTheirEventQueued() throws Exception {
        String event = Payloads.read("events/messaging-lost.xml");
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        for (String type : new String[] {"MESSAGING_LOST", "MESSAGING_GAINED", "MESSAGING_MOVED"}) {
            String typed = event.replace("<EventType>MESSAGING_LOST</EventType>", "<EventType>" + type + "</EventType>");
            assertThat(bandwidth.post("/webhooks/bandwidth", typed).statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> SMTP.getReceivedMessages().length == 2);
        // the third is held by the cap: no mail, and no failure either (a failure would retry, then dead-letter it)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> SMTP.getReceivedMessages().length == 2);
        assertThat(alerts("sent")).isEqualTo(2);
        assertThat(alerts("retried")).isZero();
        assertThat(alerts("dead-lettered")).isZero();
        assertThat(BROKER.messageIds("DLQ.bandwidth.events")).isEmpty();

        // Stopped while the third waits, as at a node's shutdown (Camel waits for it up to its shutdown timeout,
        // camel.main.shutdown-timeout, then forces the route): its event goes back to the queue, the mailed ones do not.
        camel.getRouteController().stopRoute("event-alert-mail", 1, TimeUnit.SECONDS);
        assertThat(BROKER.messageIds("bandwidth.events")).hasSize(1);
        Message held = BROKER.receive("bandwidth.events", null, 10_000);
        assertThat(held.getStringProperty("EventType")).isEqualTo("MESSAGING_MOVED");
        assertThat(SMTP.getReceivedMessages()).hasSize(2);
    }

    private double alerts(String outcome) {
        var counter = meters.find("numbers.router.alerts").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
