package com.numbersrouter.infra;

import java.util.concurrent.TimeUnit;

import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.usage.StoreUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-process broker's store has a limit (numbers-router.embedded-broker.store-limit). Once it is full, a send
 * must fail at once, so that the notification is spooled and answered 200: a send that waited for room (ActiveMQ's
 * default) would hold the webhook for the whole commit timeout, here longer than the client waits.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.embedded-broker.connector=",
        "numbers-router.embedded-broker.store-limit=1MB",
        "numbers-router.broker.group-commit.timeout=60s"})
class EmbeddedBrokerStoreFullEndToEndTest {

    private static final int ORDERS = 5;

    @LocalServerPort
    int port;

    @Autowired
    BrokerService embeddedBroker;

    @Autowired
    EmbeddedBrokerProperties brokerProperties;

    @Autowired
    NotificationSpool spool;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void aFullStoreFailsTheSendAtOnceSoOrdersAreSpooledThenForwardedOnceItHasRoom(CapturedOutput output) throws Exception {
        StoreUsage store = embeddedBroker.getSystemUsage().getStoreUsage();
        EmbeddedBrokers.sendBacklog(brokerProperties, "esb.backlog", sent -> store.isFull());

        BandwidthClient client = BandwidthClient.bandwidth(port); // gives up after 30 s, as Bandwidth does sooner
        for (int n = 0; n < ORDERS; n++) {
            assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).as("order %d", n).isEqualTo(200);
        }
        assertThat(spool.depth()).isEqualTo(ORDERS);
        // the log says why, in lines: the broker's failed commit with its cause, no stack trace
        assertThat(output.getOut()).contains("Broker transaction of 1 notification(s) failed: ")
                .contains("(cause: jakarta.jms.ResourceAllocationException: Persistent store is Full")
                .contains("Caused by: jakarta.jms.ResourceAllocationException: Persistent store is Full")
                .doesNotContain("\tat ");

        store.setLimit(64L * 1024 * 1024);

        Destination orders = embeddedBroker.getDestination(new ActiveMQQueue("bandwidth.orders"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> spool.depth() == 0);
        // a failed transaction stored nothing: each order once
        assertThat(orders.getDestinationStatistics().getMessages().getCount()).isEqualTo(ORDERS);
    }
}
