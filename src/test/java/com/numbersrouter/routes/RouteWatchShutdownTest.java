package com.numbersrouter.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.numbersrouter.ingress.PortOutRefusals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes folder is no longer watched once the node begins to stop: Camel never stops during a swap. */
class RouteWatchShutdownTest {

    /** When camel-spring-boot stops Camel: after the web server's graceful shutdown and the spool's last drain. */
    private static final int CAMEL_STOPS = Integer.MAX_VALUE - 2049;

    @TempDir
    Path routes;

    @Test
    void theWatchHasEndedBeforeCamelStops() throws Exception {
        // the routes the node's own code sends to, which the check asks for
        for (String route : List.of("portout-decision-publish", "alert-mail-send", "spooled-notification")) {
            Files.writeString(routes.resolve(route + ".camel.yaml"), """
                    - route:
                        id: %1$s
                        from:
                          uri: direct:%1$s
                          steps:
                            - log: "%1$s"
                    """.formatted(route));
        }
        CamelContext camel = new DefaultCamelContext();
        GuardedRouteReloader reloader = new GuardedRouteReloader(
                new RoutesProperties(routes, true, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(2),
                        Duration.ofSeconds(2)),
                new SimpleMeterRegistry(), List.of(),
                new RouteSwapGate(Duration.ofSeconds(1), Duration.ofSeconds(1), PortOutRefusals.NONE));
        reloader.beforeApplicationStart(camel);
        camel.start();
        reloader.afterApplicationStart(camel);

        AtomicReference<Boolean> watchedAsCamelStopped = new AtomicReference<>();
        try (GenericApplicationContext node = new GenericApplicationContext()) {
            node.registerBean("guardedRouteReloader", GuardedRouteReloader.class, () -> reloader);
            node.registerBean("camelShutdown", SmartLifecycle.class, () -> new CamelShutdown(camel, () ->
                    watchedAsCamelStopped.set(reloader.watching())));
            node.refresh();
            assertThat(reloader.watching()).as("watching while the node runs").isTrue();
        }

        assertThat(watchedAsCamelStopped.get()).as("watching as Camel stopped").isFalse();
        assertThat(camel.isStopped()).isTrue();
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
