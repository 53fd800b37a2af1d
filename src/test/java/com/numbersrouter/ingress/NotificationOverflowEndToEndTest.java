package com.numbersrouter.ingress;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Message;
import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every processing place taken (here there are none for notifications): Bandwidth never retries a notification, so
 * one beyond the bound is not refused with 503 but, once its credentials are checked, kept in the local spool and
 * forwarded from there; the challenge flow still works, and port-outs keep their reserved places.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1",
        "spring.mail.port=9",
        "numbers-router.webhook.max-in-flight=0"})
class NotificationOverflowEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("overflow-broker");

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    NotificationSpool spool;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    @Test
    void anOrderBeyondTheBoundIsSpooledThenStoredWithItsProperties() throws Exception {
        Instant sent = Instant.now();
        // Bandwidth's way: first without credentials (401 and the challenge), then with them
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(1)).statusCode())
                .isEqualTo(200);
        Instant answered = Instant.now();

        Message order = BROKER.receive("bandwidth.orders");
        assertThat(order).as("forwarded from the spool").isNotNull();
        assertThat(order.getStringProperty("OrderId")).isEqualTo(Orders.id(1));
        assertThat(order.getJMSCorrelationID()).isEqualTo(Orders.id(1));
        assertThat(Instant.parse(order.getStringProperty("BandwidthReceivedAt"))).isBetween(sent.minusMillis(1), answered);
        assertThat(meters.get("numbers.router.webhooks").tag("type", "unknown").tag("outcome", "spooled").counter().count())
                .isPositive();
        assertThat(meters.get("numbers.router.webhooks.shed").tag("pool", "notifications").counter().count()).isZero();
    }

    @Test
    void withoutValidCredentialsItIsChallengedAndNothingIsKept() {
        HttpResponse<String> anonymous = BandwidthClient.anonymous(port).post("/webhooks/bandwidth", Orders.numbered(2));
        HttpResponse<String> wrong = BandwidthClient.anonymous(port).post("/webhooks/bandwidth",
                Orders.numbered(3).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml",
                "Authorization", BandwidthClient.basic(BandwidthClient.USERNAME, "not-the-password"));

        for (HttpResponse<String> response : List.of(anonymous, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic realm="));
        }
        // a body kept would be in the spool (written before the answer) or, forwarded, on the queue
        assertThat(spool.depth()).isZero();
        assertThat(BROKER.queueSize("bandwidth.orders")).isZero();
    }

    @Test
    void portOutsKeepTheirReservedPlaces() {
        HttpResponse<String> response = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth/portout-validation",
                Payloads.read("portout/valid.xml"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<Portable>true</Portable>");
    }
}
