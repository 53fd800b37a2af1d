package com.numbersrouter.orders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.JMSException;
import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broker down is not data lost: Bandwidth never retries, so while the broker is away every order is answered 200
 * only once it is forced to disk in the local spool, and the spool forwards them all, in arrival order, when the
 * broker returns. Own broker (stopped mid-test), so it has its own context.
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class BrokerOutageEndToEndTest {

    private static final int ORDERS = 25;
    private static TestBroker broker = TestBroker.start("outage-broker");
    private static final int BROKER_PORT = broker.port();
    private static final Path SPOOL = TempFolders.create("numbers-router-spool");

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    NotificationSpool spool;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", () -> "tcp://127.0.0.1:" + BROKER_PORT);
        registry.add("numbers-router.spool.directory", SPOOL::toString);
    }

    @Test
    void ordersArriveWhileTheBrokerIsDownAreSpooledAndForwardedInOrderWhenItReturns() throws JMSException {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(0)).statusCode()).isEqualTo(200);
        assertThat(broker.receive("bandwidth.orders")).isNotNull();

        broker.stop();
        for (int n = 1; n <= ORDERS; n++) {
            assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).as("order %d", n).isEqualTo(200);
        }

        assertThat(spool.depth()).isEqualTo(ORDERS);
        assertThat(health()).contains("\"spool\":{\"status\":\"DEGRADED\"").contains("\"depth\":" + ORDERS);

        long transactionsBefore = meters.get("numbers.router.broker.commit").timer().count();
        broker = TestBroker.start("outage-broker", BROKER_PORT);
        List<String> arrived = broker.awaitProperty("bandwidth.orders", "OrderId", ORDERS);
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= ORDERS; n++) {
            expected.add(Orders.id(n));
        }
        assertThat(arrived).containsExactlyElementsOf(expected);
        await().atMost(5, TimeUnit.SECONDS).until(() -> spool.depth() == 0);
        // The spool drains in batches: all 25 in one broker transaction, not one transaction (and disk force) each.
        assertThat(meters.get("numbers.router.broker.commit").timer().count() - transactionsBefore).isEqualTo(1);
        assertThat(health()).contains("\"spool\":{\"status\":\"UP\"");

        // Back to normal: straight to the broker again.
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(99)).statusCode()).isEqualTo(200);
        assertThat(broker.receive("bandwidth.orders").getStringProperty("OrderId")).isEqualTo(Orders.id(99));
    }

    private String health() {
        return new Management(managementPort).health();
    }
}
