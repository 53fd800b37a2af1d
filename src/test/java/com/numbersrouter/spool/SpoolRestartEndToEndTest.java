package com.numbersrouter.spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The spool survives a restart of the node: orders accepted while the broker was down are still forwarded, in
 * order, by the next run. Two real runs of the node, one after the other, over the same spool folder.
 */
class SpoolRestartEndToEndTest {

    private static final int ORDERS = 10;

    @TempDir
    Path spool;

    @TempDir
    Path decisions;

    @Test
    void ordersSpooledBeforeARestartAreForwardedAfterIt() throws Exception {
        int brokerPort = FreePort.find();

        try (ConfigurableApplicationContext first = startNode(brokerPort)) {
            BandwidthClient client = BandwidthClient.bandwidth(port(first));
            for (int n = 1; n <= ORDERS; n++) {
                assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).isEqualTo(200);
            }
        }
        try (var files = Files.list(spool)) {
            assertThat(files.filter(f -> f.toString().endsWith(".xml")).count()).isEqualTo(ORDERS);
        }

        TestBroker broker = TestBroker.start("restart-broker", brokerPort);
        try (ConfigurableApplicationContext second = startNode(brokerPort)) {
            List<String> arrived = broker.awaitProperty("bandwidth.orders", "OrderId", ORDERS);
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= ORDERS; n++) {
                expected.add(Orders.id(n));
            }
            assertThat(arrived).containsExactlyElementsOf(expected);
            await().atMost(5, TimeUnit.SECONDS).until(() -> second.getBean(NotificationSpool.class).isEmpty());

            // a second node on the same folders (two replicas on one volume) does not start beside it
            assertThatThrownBy(() -> startNode(brokerPort).close())
                    .hasStackTraceContaining("is in use already");
        } finally {
            broker.stop();
        }
    }

    @Test
    void gracefulShutdownForwardsTheSpoolWhenTheBrokerIsBack() throws Exception {
        int brokerPort = FreePort.find();
        TestBroker broker = null;
        try (ConfigurableApplicationContext node = startNode(brokerPort, "--numbers-router.spool.forward-every=1h")) {
            BandwidthClient client = BandwidthClient.bandwidth(port(node));
            for (int n = 1; n <= ORDERS; n++) {
                assertThat(client.post("/webhooks/bandwidth", Orders.numbered(n)).statusCode()).isEqualTo(200);
            }
            assertThat(node.getBean(NotificationSpool.class).depth()).isEqualTo(ORDERS);
            // The broker is back, but the forwarder will not look for an hour: only shutdown can forward them now.
            broker = TestBroker.start("drain-broker", brokerPort);
        }
        try (var files = Files.list(spool)) {
            assertThat(files.filter(f -> f.toString().endsWith(".xml")).count()).isZero();
        }
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= ORDERS; n++) {
            expected.add(Orders.id(n));
        }
        assertThat(broker.awaitProperty("bandwidth.orders", "OrderId", ORDERS)).containsExactlyElementsOf(expected);
        broker.stop();
    }

    private ConfigurableApplicationContext startNode(int brokerPort, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.activemq.broker-url=tcp://127.0.0.1:" + brokerPort,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=9",
                "--numbers-router.spool.directory=" + spool,
                // the audit journal and its feed position beside it, not in the working folder's data/ (a developer's
                // own node reads that feed position)
                "--numbers-router.portout.audit.directory=" + decisions,
                "--numbers-router.routes.watch=false",
                // the indexed form the README once gave: still binds (as the entry "0"), and webhooks pass with it
                "--numbers-router.webhook.credentials[0].username=" + BandwidthClient.USERNAME,
                "--numbers-router.webhook.credentials[0].password=" + BandwidthClient.PASSWORD));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(NumbersRouterApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
