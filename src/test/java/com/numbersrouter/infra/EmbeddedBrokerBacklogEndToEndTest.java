package com.numbersrouter.infra;


import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
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

/**
 * An ESB that stops reading (or was never started) leaves a backlog on the in-process broker. The backlog waits in
 * the broker's store on disk; it must neither fill the heap nor hold up the webhooks: ActiveMQ's producer flow
 * control would block every send once the memory limit is reached, and the node would answer each webhook only
 * after its timeout, from the spool. The memory limit is cut to 1 MB here, and another queue's backlog fills it.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.embedded-broker.connector=",
        "numbers-router.embedded-broker.memory-limit=1MB",
        // A commit slower than the default 5 s on a busy machine would spool an order and fail the test for the disk,
        // not for flow control. A commit that flow control blocks never ends: the first order is still spooled, later.
        "numbers-router.broker.group-commit.timeout=60s"})
class EmbeddedBrokerBacklogEndToEndTest {

    private static final int ORDERS = 300;

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
    void aBacklogBeyondTheBrokersMemoryLimitIsStoredOnDiskWithoutHoldingUpWebhooks(CapturedOutput output) throws Exception {
        // The ESB's own queue already holds more than the broker's memory limit (a send that flow control blocks
        // fails instead of hanging the test).
        EmbeddedBrokers.sendBacklog(brokerProperties, "esb.backlog", sent -> sent == 200);

        BandwidthClient client = BandwidthClient.bandwidth(port);
        for (int n = 0; n < ORDERS; n++) {
            assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).as("order %d", n).isEqualTo(200);
            assertThat(spool.isEmpty()).as("order %d went to the broker, not the spool", n).isTrue();
            // events too: their queue has a consumer (the alert mailer), which holds what it is sent in memory
            String event = Payloads.read("events/messaging-lost.xml").replace("9845550177", String.format("984%07d", n));
            assertThat(client.post("/webhooks/bandwidth", event).statusCode()).as("event %d", n).isEqualTo(200);
            assertThat(spool.isEmpty()).as("event %d went to the broker, not the spool", n).isTrue();
        }

        Destination orders = embeddedBroker.getDestination(new ActiveMQQueue("bandwidth.orders"));
        assertThat(orders.getDestinationStatistics().getMessages().getCount()).isEqualTo(ORDERS);
        // more than the memory limit was accepted (2 MB of backlog, 600 notifications), and the limit still holds. ActiveMQ
        // checks it before it adds a message, so the usage may pass it by the one message added last (an event, about
        // 1.4 KB: seen 1,444 bytes over in 1 of a day's CI runs); the backlog itself waits on disk.
        assertThat(embeddedBroker.getSystemUsage().getMemoryUsage().getUsage()).isLessThanOrEqualTo(1024 * 1024 + 16 * 1024);
        // and no producer (intake, or the alert mailer moving events to the digest queue) was ever held back
        assertThat(output.getOut()).doesNotContain("Producers will be throttled");
    }
}
