package com.numbersrouter.operations;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TestBroker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.TransactionId;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM with a webhook in flight (what SIGTERM runs is this: the context closed, with Spring Boot's graceful
 * shutdown). The node stops taking new webhooks at once, answers the one in flight once its order is committed,
 * and only then stops Camel and closes. The broker holds the order's commit until the shutdown has begun.
 */
class GracefulShutdownEndToEndTest {

    private final CountDownLatch commitArrived = new CountDownLatch(1);
    private final CountDownLatch commitMayGo = new CountDownLatch(1);
    private final TestBroker broker = TestBroker.start("graceful-shutdown-broker", firstCommitHeld());

    @TempDir
    Path spool;

    @TempDir
    Path decisions;

    @AfterEach
    void stopBroker() {
        commitMayGo.countDown();
        broker.stop();
    }

    @Test
    void theWebhookInFlightIsAnsweredAndNewOnesAreRefused() throws Exception {
        ConfigurableApplicationContext node = startNode();
        int port = Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
        // Camel's part of the shutdown is bounded: its default (45 s) after the web phase's 30 s outlasts the grace
        // periods of Docker (10 s) and Kubernetes (30 s) by far; cut short, a queue consumer's work is rolled back
        assertThat(node.getBean(CamelContext.class).getShutdownStrategy().getTimeout()).isEqualTo(15);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                () -> BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(1)));
        assertThat(commitArrived.await(20, TimeUnit.SECONDS)).as("the order's commit reached the broker").isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(node::close);
        // new webhooks are refused from the start of the shutdown (a load balancer moves them to another node)
        await().atMost(10, TimeUnit.SECONDS).until(() -> refused(port));
        assertThat(inFlight).as("still waiting for its commit").isNotDone();
        commitMayGo.countDown();

        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        shutdown.get(60, TimeUnit.SECONDS);
        assertThat(broker.receive("bandwidth.orders").getStringProperty("OrderId")).isEqualTo(Orders.id(1));
        try (var spooled = java.nio.file.Files.list(spool)) {
            // (the folder keeps the node's .lock, held while it ran)
            assertThat(spooled.filter(f -> f.toString().endsWith(".xml"))).as("committed, so not spooled").isEmpty();
        }
        assertThatThrownBy(() -> BandwidthClient.anonymous(port).post("/webhooks/bandwidth", Orders.numbered(2)))
                .as("the node is gone").isInstanceOf(IllegalStateException.class);
    }

    private static boolean refused(int port) {
        try {
            BandwidthClient.anonymous(port).post("/webhooks/bandwidth", Orders.numbered(3));
            return false;
        } catch (IllegalStateException connectionRefused) {
            return true;
        }
    }

    private ConfigurableApplicationContext startNode() {
        return new SpringApplicationBuilder(NumbersRouterApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.activemq.broker-url=" + broker.url(),
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=9",
                "--numbers-router.spool.directory=" + spool,
                "--numbers-router.portout.audit.directory=" + decisions,
                "--numbers-router.routes.watch=false",
                // the held commit must not send the order to the spool meanwhile
                "--numbers-router.broker.group-commit.timeout=30s",
                "--numbers-router.webhook.credentials.test.username=" + BandwidthClient.USERNAME,
                "--numbers-router.webhook.credentials.test.password=" + BandwidthClient.PASSWORD);
    }

    /** The first transaction commit waits until the test lets it go: the webhook it answers stays in flight. */
    private BrokerPlugin firstCommitHeld() {
        return next -> new BrokerFilter(next) {
            @Override
            public void commitTransaction(ConnectionContext context, TransactionId xid, boolean onePhase)
                    throws Exception {
                if (commitArrived.getCount() > 0) {
                    commitArrived.countDown();
                    commitMayGo.await(60, TimeUnit.SECONDS);
                }
                super.commitTransaction(context, xid, onePhase);
            }
        };
    }
}
