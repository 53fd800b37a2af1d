package com.numbersrouter.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.TestBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node started on a routes folder with a mistake in it does not start, and says what is wrong and where: the same
 * check an edit gets, before anything is loaded into the node's own Camel context.
 */
class RouteStartupCheckTest {

    private static final TestBroker BROKER = TestBroker.start("startup-check-broker");

    @TempDir
    Path routes;

    @TempDir
    Path spool;

    @AfterAll
    static void stopBroker() {
        BROKER.stop();
    }

    @BeforeEach
    void copyTheShippedRoutes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void theShippedRoutesStart() {
        try (ConfigurableApplicationContext node = start()) {
            assertThat(node.getBean(GuardedRouteReloader.class).status().healthy()).isTrue();
            // Started as `java -jar` starts it, without the Camel test listener (which holds Camel back until the
            // node is built): a bean that makes Spring start Camel early leaves it running with no routes at all.
            CamelContext camel = node.getBean(CamelContext.class);
            assertThat(camel.getRoutes()).extracting(Route::getRouteId)
                    .contains("webhook-intake", "order-notification", "portout-validation", "portout-decision-publish");
            assertThat(camel.getRoutes()).allSatisfy(route ->
                    assertThat(camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted())
                            .as(route.getRouteId()).isTrue());
        }
    }

    @Test
    void aBeanThatDoesNotExistStopsTheStartNamingTheRouteAndTheBean() throws IOException {
        edit("portout.camel.yaml", "ref: portOutGatekeeper\n", "ref: portOutGatekeeperr\n");

        assertThatThrownBy(this::start).hasStackTraceContaining("portout-validation")
                .hasStackTraceContaining("No bean could be found in the registry for: portOutGatekeeperr");
    }

    @Test
    void aRouteThatSendsWhereNoRouteListensStopsTheStart() throws IOException {
        edit("orders.camel.yaml", "- to: direct:spool-notification", "- to: direct:spool-notifications");

        assertThatThrownBy(this::start).hasStackTraceContaining("The routes in " + routes + " are invalid")
                .hasStackTraceContaining("no route consumes from direct:spool-notifications, but a route sends to it");
    }

    @Test
    void aRouteIdTakenTwiceStopsTheStartNamingBothFiles() throws IOException {
        Files.writeString(routes.resolve("copy.camel.yaml"), Files.readString(routes.resolve("spool.camel.yaml")));

        assertThatThrownBy(this::start).hasStackTraceContaining("The routes in " + routes + " are invalid")
                .hasStackTraceContaining("duplicate route id")
                .hasStackTraceContaining("copy.camel.yaml")
                .hasStackTraceContaining("spool.camel.yaml");
    }

    /** Camel's timer would read it as 0 ms and forward the spool once, ever (TimerPeriodsTest has the cases). */
    @Test
    void aTimerPeriodInUpperCaseStopsTheStartNamingIt() {
        assertThatThrownBy(() -> start("--numbers-router.spool.forward-every=1S"))
                .hasStackTraceContaining("numbers-router.spool.forward-every=1S is 1000 ms to Spring but 0 ms");
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = routes.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.activemq.broker-url=" + BROKER.url(),
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=9",
                "--numbers-router.routes.directory=" + routes,
                "--numbers-router.routes.watch=false",
                "--numbers-router.spool.directory=" + spool,
                "--numbers-router.portout.audit.directory=" + spool.resolve("portout-decisions"),
                "--numbers-router.webhook.credentials.bandwidth-test.username=" + BandwidthClient.USERNAME,
                "--numbers-router.webhook.credentials.bandwidth-test.password=" + BandwidthClient.PASSWORD));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(NumbersRouterApplication.class).run(args.toArray(String[]::new));
    }
}
