package com.numbersrouter.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.Message;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Older notifications wait in the spool (a previous run's, forwarded only later here), so new ones queue behind
 * them; then the spool's disk fails. With the broker up, a new notification goes to the broker rather than get a
 * 503 that loses it (Bandwidth never sends it again).
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        // the leftover stays in the spool for the whole test: intake queues behind it
        "numbers-router.spool.forward-every=1h"
})
class SpoolDiskFailureEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("spool-disk-failure-broker");
    private static final Path SPOOL = TempFolders.create("numbers-router-failing-spool");

    static {
        try {
            Files.writeString(SPOOL.resolve("0000000000001-000000000001.xml"), Orders.numbered(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    NotificationSpool spool;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.spool.directory", SPOOL::toString);
    }

    @Autowired
    CamelContext camel;

    @Test
    void withTheSpoolsDiskFailingNewNotificationsGoToTheBroker() throws Exception {
        // the event stays on its queue, to be counted there (no SMTP server here to mail it to)
        camel.getRouteController().stopRoute("event-alert-mail");
        assertThat(spool.isEmpty()).as("the previous run's notification waits").isFalse();
        Path away = SPOOL.resolveSibling(SPOOL.getFileName() + "-away");
        Files.move(SPOOL, away);
        Files.writeString(SPOOL, "not a folder: every write in it fails");
        try {
            BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
            assertThat(bandwidth.post("/webhooks/bandwidth", Orders.numbered(2)).statusCode()).isEqualTo(200);
            assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                    .isEqualTo(200);
        } finally {
            Files.delete(SPOOL);
            Files.move(away, SPOOL);
        }

        Message order = BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(2) + "'", 10_000);
        assertThat(order).as("the order, on the broker").isNotNull();
        assertThat(BROKER.queueSize("bandwidth.events")).as("the event, on the broker").isEqualTo(1);
        assertThat(spool.depth()).as("the leftover still waits; nothing new in the spool").isEqualTo(1);
    }
}
