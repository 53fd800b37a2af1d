package com.numbersrouter.dedupe;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared duplicate-suppression database is down when the node starts (camel-sql would look for its table as the
 * routes start, and fail them): the node starts, and stores what it is sent, unchecked, until the database answers.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        "numbers-router.dedupe.repository=jdbc",
        "spring.datasource.username=numbers",
        "spring.datasource.password=numbers",
        "spring.datasource.hikari.connection-timeout=500"
})
class DeduplicationDatabaseDownEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("dedupe-down-broker");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        // PostgreSQL's driver ships; nothing listens on this port
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + FreePort.find() + "/numbers");
    }

    @Test
    void theNodeStartsAndStoresOrdersUnchecked() {
        assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(1)).statusCode())
                .isEqualTo(200);
        assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(1) + "'", 10_000)).isNotNull();
    }
}
