package com.numbersrouter.orders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
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
 * An ESB that stops reading for long enough fills the operator's broker. ActiveMQ as it ships then holds every
 * persistent send (producer flow control) until its store has room: the broker is up, yet takes nothing. Bandwidth
 * never retries a notification, so each must still be answered 200 only once it is on disk somewhere (the spool,
 * after the commit timeout), port-outs must be decided as usual, and everything must reach the queue once the
 * operator makes room.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        // the default is 5 s; each spooled order waits for it at most once (later ones queue behind the spool)
        "numbers-router.broker.group-commit.timeout=2s"})
class BrokerStoreFullEndToEndTest {

    private static final int ORDERS = 10;
    private static final long FULL = 1024 * 1024;
    private static final TestBroker broker = TestBroker.startPersistent("full-broker",
            TempFolders.create("numbers-router-full-broker"), FULL);

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    NotificationSpool spool;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", broker::url);
    }

    @Test
    void ordersAreSpooledWhileTheBrokersStoreIsFullAndForwardedOnceItHasRoom() throws Exception {
        fillTheStoreWithAnotherApplicationsBacklog();

        BandwidthClient client = BandwidthClient.bandwidth(port);
        for (int n = 0; n < ORDERS; n++) {
            assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).as("order %d", n).isEqualTo(200);
        }
        assertThat(spool.depth()).isEqualTo(ORDERS);
        assertThat(new Management(managementPort).health()).contains("\"spool\":{\"status\":\"DEGRADED\"");
        // a port-out needs no broker to be answered: decided as on any day
        assertThat(client.post("/webhooks/bandwidth", Payloads.read("portout/valid.xml")).body())
                .contains("<Portable>true</Portable>");

        broker.setStoreLimit(64 * FULL);

        List<String> expected = new ArrayList<>();
        for (int n = 0; n < ORDERS; n++) {
            expected.add(Orders.id(n));
        }
        // At least once: the first order's transaction, held by the broker past the timeout, may commit it besides
        // its spooled copy (README "Where things go").
        List<String> arrived = new ArrayList<>();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            for (Message message : broker.drain("bandwidth.orders")) {
                arrived.add(message.getStringProperty("OrderId"));
            }
            assertThat(arrived).containsAll(expected);
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> spool.depth() == 0);
    }

    /** Persistent messages on a queue nobody reads, until the broker holds the next send back. */
    private static void fillTheStoreWithAnotherApplicationsBacklog() throws JMSException {
        ActiveMQConnectionFactory esb = new ActiveMQConnectionFactory(broker.url());
        esb.setSendTimeout(1000);
        try (Connection connection = esb.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("esb.backlog"));
            while (!broker.storeFull()) {
                producer.send(session.createTextMessage("x".repeat(10_000)));
            }
        }
    }
}
