package com.numbersrouter.orders;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.support.BandwidthClient;
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
 * With the broker gone, an order must not be answered 200: Bandwidth never retries, so a 200 for a message that
 * was not stored would lose it silently. The node says 503, and recovers by itself when the broker returns.
 * Own broker (stopped mid-test), so it has its own context.
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class BrokerOutageEndToEndTest {

    private static final String ORDER = Payloads.read("orders/order-complete.xml");
    private static TestBroker broker = TestBroker.start("outage-broker");
    private static final int BROKER_PORT = broker.port();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void brokerUrl(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", () -> "tcp://127.0.0.1:" + BROKER_PORT);
    }

    @Test
    void orderIsRefusedWith503WhileTheBrokerIsDownAndAcceptedAgainAfter() {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        assertThat(client.post("/webhooks/bandwidth", ORDER).statusCode()).isEqualTo(200);
        broker.receive("bandwidth.orders");

        broker.stop();
        HttpResponse<String> refused = client.post("/webhooks/bandwidth", ORDER);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("not stored").doesNotContain("Exception");

        broker = TestBroker.start("outage-broker", BROKER_PORT);
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> client.post("/webhooks/bandwidth", ORDER).statusCode() == 200);
        assertThat(broker.receive("bandwidth.orders")).isNotNull();
    }
}
