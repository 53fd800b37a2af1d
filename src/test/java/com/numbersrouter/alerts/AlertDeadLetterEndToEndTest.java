package com.numbersrouter.alerts;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert that cannot be mailed is retried with back-off and then kept on the dead-letter queue with the reason:
 * never dropped. The SMTP "server" here is a port nothing listens on. Own broker and context, so this consumer
 * cannot take events meant for the other tests; the context is closed afterwards so its consumer stops retrying.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.alerts.retry.max-redeliveries=2",
        "numbers-router.alerts.retry.initial-delay=50",
        "numbers-router.alerts.retry.max-delay=200"
})
class AlertDeadLetterEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("alert-dlq-broker");

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        int smtpPort = FreePort.find();
        registry.add("spring.mail.port", () -> smtpPort);
    }

    @Test
    void unmailableAlertLandsOnTheDeadLetterQueueWithReasonAndAttempts() throws JMSException {
        String event = Payloads.read("events/messaging-lost.xml");

        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);

        Message dead = BROKER.receive("DLQ.bandwidth.events", null, 30_000);
        assertThat(dead).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) dead).getText()).isEqualTo(event);
        assertThat(dead.getStringProperty("EventType")).isEqualTo("MESSAGING_LOST");
        assertThat(dead.getStringProperty("DeadLetterReason")).isNotBlank().doesNotContain("\tat ");
        assertThat(dead.getIntProperty("DeadLetterAttempts")).isEqualTo(3);
        // each failed attempt was counted as it happened, where an alert rule sees an SMTP outage early
        assertThat(meters.get("numbers.router.alerts").tag("outcome", "retried").counter().count()).isEqualTo(2);
        assertThat(meters.get("numbers.router.alerts").tag("outcome", "dead-lettered").counter().count()).isEqualTo(1);
    }
}
