package com.numbersrouter.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.numbersrouter.ingress.PortOutRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The routes folder is no longer watched once the node begins to stop: Camel never stops during a swap. */
class RouteWatchShutdownTest {

    /** When camel-spring-boot stops Camel: after the web server's graceful shutdown and the spool's last drain. */
    private static final int CAMEL_STOPS = Integer.MAX_VALUE - 2049;
    /** The routes the node's own code sends to, which the check asks for. */
    private static final List<String> ROUTES = List.of("portout-decision-publish", "alert-mail-send", "spooled-notification");

    @TempDir
    Path routes;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final RouteSwapGate gate = new RouteSwapGate(Duration.ofSeconds(1), Duration.ofSeconds(1), PortOutRefusals.NONE,
            meters);
    private final ExecutorService webhooks = Executors.newSingleThreadExecutor();
    private final CamelContext camel = new DefaultCamelContext();
    private GuardedRouteReloader reloader;

    @BeforeEach
    void startWatching() throws Exception {
        for (String route : ROUTES) {
            write(route, "first");
        }
        // and the two URLs Bandwidth may send port-outs to, on a web server that is not there
        Files.writeString(routes.resolve("ingress.camel.yaml"), """
                - route:
                    id: webhook-http
                    from:
                      uri: "platform-http:/webhooks/bandwidth?httpMethodRestrict=POST"
                      steps:
                        - to: direct:webhook-intake
                - route:
                    id: webhook-http-portout-alias
                    from:
                      uri: "platform-http:/webhooks/bandwidth/portout-validation?httpMethodRestrict=POST"
                      steps:
                        - to: direct:webhook-intake
                - route:
                    id: webhook-intake
                    from:
                      uri: direct:webhook-intake
                      steps:
                        - log: "webhook"
                """);
        PlatformHttpComponent http = new PlatformHttpComponent();
        http.setEngine(new RouteSetValidator.InertHttpEngine());
        camel.addComponent("platform-http", http);
        reloader = new GuardedRouteReloader(
                new RoutesProperties(routes, true, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ofSeconds(2)),
                meters, List.of(), gate);
        reloader.beforeApplicationStart(camel);
        camel.start();
        reloader.afterApplicationStart(camel);
    }

    @AfterEach
    void stop() {
        webhooks.shutdownNow();
        camel.stop();
    }

    @Test
    void theWatchHasEndedBeforeCamelStops() {
        AtomicReference<Boolean> watchedAsCamelStopped = new AtomicReference<>();
        try (GenericApplicationContext node = node(() -> watchedAsCamelStopped.set(reloader.watching()))) {
            assertThat(reloader.watching()).as("watching while the node runs").isTrue();
        }

        assertThat(watchedAsCamelStopped.get()).as("watching as Camel stopped").isFalse();
        assertThat(camel.isStopped()).isTrue();
    }

    /**
     * A swap that waits for a webhook in progress as the node begins to stop ends its own way (put off after the
     * drain timeout: the webhook is still held), not interrupted half-way, and before Camel stops.
     */
    @Test
    void aSwapUnderWayEndsItsOwnWayBeforeCamelStops() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        CompletableFuture<Void> webhook = HeldWebhook.pass(gate, inside, answered, webhooks);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        write("spooled-notification", "second");
        await().atMost(5, TimeUnit.SECONDS).until(gate::swapWaiting);

        AtomicReference<Boolean> watchedAsCamelStopped = new AtomicReference<>();
        node(() -> watchedAsCamelStopped.set(reloader.watching())).close();

        assertThat(watchedAsCamelStopped.get()).as("watching as Camel stopped").isFalse();
        assertThat(meters.get("numbers.router.route.reloads").tag("outcome", "deferred").counter().count())
                .as("swaps put off after the drain timeout").isEqualTo(1);
        answered.countDown();
        webhook.get(5, TimeUnit.SECONDS);
    }

    private void write(String route, String message) throws Exception {
        Files.writeString(routes.resolve(route + ".camel.yaml"), """
                - route:
                    id: %1$s
                    from:
                      uri: direct:%1$s
                      steps:
                        - log: "%2$s"
                """.formatted(route, message));
    }

    /** A running node's context: the reloader, and Camel's shutdown in its phase, which runs {@code beforeCamelStops}. */
    private GenericApplicationContext node(Runnable beforeCamelStops) {
        GenericApplicationContext node = new GenericApplicationContext();
        node.registerBean("guardedRouteReloader", GuardedRouteReloader.class, () -> reloader);
        node.registerBean("camelShutdown", SmartLifecycle.class, () -> new CamelShutdown(camel, beforeCamelStops));
        node.refresh();
        return node;
    }

    /** Stands in for camel-spring-boot's own lifecycle, in its phase. */
    private static final class CamelShutdown implements SmartLifecycle {

        private final CamelContext camel;
        private final Runnable beforeStop;
        private volatile boolean running;

        CamelShutdown(CamelContext camel, Runnable beforeStop) {
            this.camel = camel;
            this.beforeStop = beforeStop;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            beforeStop.run();
            camel.stop();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return CAMEL_STOPS;
        }
    }
}
