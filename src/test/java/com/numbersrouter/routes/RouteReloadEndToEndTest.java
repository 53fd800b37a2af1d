package com.numbersrouter.routes;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running node whose routes folder is edited like an operator would: good edits take effect without a restart,
 * bad ones are refused while the last good routes keep serving, and the health endpoint says which. The node runs
 * on a copy of the real routes/ folder; every test puts the copy back as it found it.
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class RouteReloadEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("reload-broker");
    private static final Path ROUTES = TempFolders.copyOf(Path.of("routes"));
    private static final Map<Path, String> ORIGINAL = RouteFiles.read(ROUTES);
    /** Every order distinct: the node drops a notification it has already stored. */
    private static final AtomicInteger ORDER_NUMBER = new AtomicInteger();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    GuardedRouteReloader reloader;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RouteSwapGate gate;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.routes.directory", ROUTES::toString);
    }

    @BeforeEach
    void emptyQueues() {
        BROKER.drain("bandwidth.orders");
        BROKER.drain("erp.orders");
    }

    @AfterEach
    void putTheFolderBack() throws IOException {
        try (Stream<Path> files = Files.walk(ROUTES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!ORIGINAL.containsKey(file)) {
                    Files.delete(file);
                }
            }
        }
        for (Map.Entry<Path, String> file : ORIGINAL.entrySet()) {
            if (!file.getValue().equals(readOrNull(file.getKey()))) {
                Files.writeString(file.getKey(), file.getValue());
            }
        }
        // the folder as found is what serves, not merely a healthy edit of it: a swap still to come would land in the
        // next test, and count as the one it waits for
        await().atMost(20, TimeUnit.SECONDS).until(() -> reloader.serves(ORIGINAL) && reloader.status().healthy()
                && servesOrders());
    }

    @Test
    void editingARouteFileChangesWhereOrdersGoWithoutARestart() throws IOException {
        double applied = reloads("applied");

        edit("orders.camel.yaml", "jms-group-commit:queue:{{numbers-router.orders.queue}}", "jms-group-commit:queue:erp.orders");

        await().atMost(15, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
        assertThat(bandwidth().post("/webhooks/bandwidth", nextOrder()).statusCode()).isEqualTo(200);
        assertThat(BROKER.receive("erp.orders")).isNotNull();
        assertThat(BROKER.receive("bandwidth.orders", null, 300)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad YAML                | orders.camel.yaml | 'steps:'                                  | 'steps: ['                 | orders\\.camel\\.yaml:\\d+: while parsing a flow node",
            "unknown DSL key         | orders.camel.yaml | '- removeHeaders:'                        | '- removeHeadrs:'          | Unknown node id: removeHeadrs",
            "unknown component       | orders.camel.yaml | 'jms-group-commit:queue:{{numbers-router.orders.queue}}' | 'jmx2:queue:x' | No endpoint could be found for: jmx2",
            "unknown bean            | orders.camel.yaml | 'ref: orderJmsProperties'                 | 'ref: noSuchBean'          | noSuchBean",
            "unknown placeholder     | orders.camel.yaml | '{{numbers-router.orders.queue}}'         | '{{no.such.property}}'     | no.such.property",
            "duplicate route id      | orders.camel.yaml | 'id: order-notification'                  | 'id: event-notification'   | duplicate route id 'event-notification'",
            "duplicate HTTP path     | ingress.camel.yaml | 'platform-http:/webhooks/bandwidth/orders' | 'platform-http:/webhooks/bandwidth/events' | POST /webhooks/bandwidth/events",
            // Tomcat would answer port-outs there 404, which Bandwidth takes as approval
            "port-out URL moved      | ingress.camel.yaml | 'platform-http:/webhooks/bandwidth/portout-validation' | 'platform-http:/webhooks/bandwidth/portouts' | no started route serves POST /webhooks/bandwidth/portout-validation",
            "port-out URL stopped    | ingress.camel.yaml | 'routeConfigurationId: portout-errors' | 'autoStartup: false' | no started route serves POST /webhooks/bandwidth/portout-validation"
    })
    void brokenSaveIsRefusedIntakeKeepsWorkingAndFixingRecovers(String kind, String file, String from, String to,
            String expectedProblem) throws IOException {
        double refused = reloads("refused");

        edit(file, from, to);

        await().atMost(15, TimeUnit.SECONDS).until(() -> reloads("refused") > refused);
        assertThat(servesOrders()).as("orders still reach the broker on the last good routes").isTrue();
        assertThat(bandwidth().post("/webhooks/bandwidth/orders", nextOrder()).statusCode()).isEqualTo(200);
        assertThat(BROKER.receive("bandwidth.orders")).isNotNull();
        String health = health();
        assertThat(health).contains("\"routeReload\":{\"status\":\"OUT_OF_SERVICE\"").containsPattern(expectedProblem);
        Management management = new Management(managementPort);
        assertThat(management.status("/actuator/health")).as("an operator's check sees the problem").isEqualTo(503);
        assertThat(management.status("/actuator/health/readiness")).as("the last good routes keep serving")
                .isEqualTo(200);

        Files.writeString(ROUTES.resolve(file), ORIGINAL.get(ROUTES.resolve(file)));

        await().atMost(15, TimeUnit.SECONDS).until(() -> reloader.status().healthy());
        assertThat(health()).contains("\"routeReload\":{\"status\":\"UP\"");
    }

    @Test
    void addedFileInASubFolderServesANewPathAndDeletingItRemovesThePath() throws IOException {
        Path extra = ROUTES.resolve("extra/health-probe.camel.yaml");
        Files.createDirectories(extra.getParent());
        Files.writeString(extra, """
                - route:
                    id: bandwidth-probe
                    from:
                      uri: "platform-http:/webhooks/probe"
                      parameters:
                        httpMethodRestrict: GET
                      steps:
                        - setBody:
                            constant: "probe ok"
                """);

        await().atMost(15, TimeUnit.SECONDS).until(() -> anonymousGet("/webhooks/probe").statusCode() == 200);
        assertThat(anonymousGet("/webhooks/probe").body()).isEqualTo("probe ok");

        Files.delete(extra);

        await().atMost(15, TimeUnit.SECONDS).until(() -> anonymousGet("/webhooks/probe").statusCode() == 404);
        assertThat(servesOrders()).isTrue();
    }

    @Test
    void editorTempFilesAreIgnored() throws IOException {
        double applied = reloads("applied");
        double refused = reloads("refused");
        Files.writeString(ROUTES.resolve(".orders.camel.yaml.swp"), "garbage: [");
        Files.writeString(ROUTES.resolve("orders.camel.yaml~"), "garbage: [");
        Files.writeString(ROUTES.resolve(".#orders.camel.yaml"), "garbage: [");

        // A real edit after them proves the watcher looked at the folder since.
        edit("orders.camel.yaml", "queued on", "queued (after temp files) on");
        await().atMost(15, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);

        assertThat(reloads("refused")).isEqualTo(refused);
        assertThat(reloader.status().healthy()).isTrue();
    }

    @Test
    void aBurstOfSavesAcrossFilesIsOneSwap() throws IOException {
        double applied = reloads("applied");
        double refused = reloads("refused");

        // Like a git checkout: several files rewritten one after the other; the middle state alone is broken
        // (the new ingress points at a route the new orders file only then provides). The watcher takes no look
        // while they are written (it looks holding the reloader's lock), as if they were written within a poll
        // interval however slow the machine: whether the folder then counts as quiet is for the quiet period to say.
        long written;
        synchronized (reloader) {
            edit("orders.camel.yaml", "direct:order-notification", "direct:order-notification-v2");
            edit("ingress.camel.yaml", "direct:order-notification", "direct:order-notification-v2");
            edit("events.camel.yaml", "queued for alerting", "queued for alerting (v2)");
            written = System.nanoTime();
        }

        await().atMost(15, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
        // applied only once the folder had stayed unchanged for the quiet period (600 ms): a lower bound, which a
        // slow machine only makes longer
        assertThat(Duration.ofNanos(System.nanoTime() - written)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        // No second swap follows, and no half state was ever tried.
        await().during(1500, TimeUnit.MILLISECONDS).atMost(3, TimeUnit.SECONDS)
                .until(() -> reloads("applied") == applied + 1 && reloads("refused") == refused);
        assertThat(servesOrders()).isTrue();
    }

    /**
     * The route that stores orders, then the routes every webhook enters by (their HTTP paths included), are swapped
     * while orders keep arriving. No retry in the routes' error handling covers this: RouteSwapGate lets the swap
     * wait for the webhooks in progress and holds new ones until it is done.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "orders.camel.yaml  | queued on                   | queued (swapped) on",
            "ingress.camel.yaml | # Bandwidth's challenge flow | # Bandwidth's challenge flow (swapped)"})
    void ordersSentWhileTheirRouteIsSwappedAreAllStored(String file, String from, String to) throws Exception {
        double applied = reloads("applied");
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(senders.submit(() -> {
                while (sending.get()) {
                    statuses.add(bandwidth().post("/webhooks/bandwidth", nextOrder()).statusCode());
                }
            }));
        }
        try {
            // Orders keep arriving before, during and after the swap of the route that stores them.
            await().atMost(15, TimeUnit.SECONDS).until(() -> statuses.size() >= 20);
            edit(file, from, to);
            await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
            int atSwap = statuses.size();
            await().atMost(15, TimeUnit.SECONDS).until(() -> statuses.size() >= atSwap + 20);
        } finally {
            sending.set(false);
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
            senders.shutdown();
        }
        assertThat(statuses).isNotEmpty().allMatch(status -> status == 200);
        // counted by the broker: a drain stops at the first pause, and a pause under load would make one look missing
        await().atMost(30, TimeUnit.SECONDS).until(() -> BROKER.queueSize("bandwidth.orders") >= statuses.size());
        assertThat(BROKER.queueSize("bandwidth.orders")).isEqualTo(statuses.size());
        BROKER.purge("bandwidth.orders");
    }

    /**
     * A route moved from one file to another, then back: each time both files change in one swap, and one of the two
     * moves loads the file that gains the route first, the other the file that loses it. Either way the route must
     * end up running (the file that lost it took its successor away with it).
     */
    @Test
    void aRouteMovedToAnotherFileAndBackKeepsServing() throws IOException {
        Path orders = ROUTES.resolve("orders.camel.yaml");
        Path other = ROUTES.resolve("order-to-broker.camel.yaml");
        String original = Files.readString(orders);
        int start = original.indexOf("- route:\n    id: order-to-broker");
        assertThat(start).isPositive();

        double applied = reloads("applied");
        Files.writeString(other, original.substring(start));
        Files.writeString(orders, original.substring(0, start));
        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
        assertThat(camel.getRoute("order-to-broker")).as("moved out").isNotNull();
        assertThat(servesOrders()).isTrue();

        double appliedOut = reloads("applied");
        Files.writeString(orders, original);
        Files.writeString(other, """
                - route:
                    id: left-behind
                    from:
                      uri: direct:left-behind
                      steps:
                        - log: "never"
                """);
        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > appliedOut);
        assertThat(camel.getRoute("order-to-broker")).as("moved back").isNotNull();
        assertThat(servesOrders()).isTrue();
    }

    /**
     * A change that passes the check but fails as it is applied (a second consumer of a {@code direct:} endpoint,
     * which Camel refuses only as the route starts) is taken back whole: the last good routes serve, and no route of
     * the new file is left running.
     */
    @Test
    void aChangeThatFailsAsItIsAppliedLeavesNoneOfItsRoutesRunning() throws IOException {
        double refused = reloads("refused");
        Files.writeString(ROUTES.resolve("failing.camel.yaml"), """
                - route:
                    id: added-beside-a-failing-route
                    from:
                      uri: direct:added-beside-a-failing-route
                      steps:
                        - log: "never"
                """ + SECOND_CONSUMER_OF_ORDERS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("refused") > refused);
        assertThat(reloader.status().problems()).singleElement().asString()
                .contains("applying the change failed", "direct://order-notification");
        assertThat(camel.getRoute("added-beside-a-failing-route")).isNull();
        assertThat(camel.getRoute("second-consumer-of-orders")).isNull();
        assertThat(servesOrders()).isTrue();
    }

    /**
     * A route configuration without an id applies to every route that names none, whichever file either is in.
     * Camel replaces a configuration only by its id, and its lookups by id give one without an id an id of its own:
     * loaded before the shipped configurations, it would stop applying; saved again, its file would leave a second
     * copy; deleted, it would stay.
     */
    @Test
    void aRouteConfigurationWithoutAnIdAppliesUntilItsFileIsDeleted() throws IOException {
        List<String> shipped = routeConfigurations();
        // before error-handling.camel.yaml, the probe route after it
        Path configuration = ROUTES.resolve("a-catch-all.camel.yaml");
        Files.writeString(configuration, HANDLING_CONFIGURATION);
        Files.writeString(ROUTES.resolve("z-failing-probe.camel.yaml"), FAILING_PROBE);
        await().atMost(10, TimeUnit.SECONDS).until(() -> anonymousGet("/webhooks/failing-probe").statusCode() == 200);
        assertThat(anonymousGet("/webhooks/failing-probe").body()).isEqualTo("handled by the configuration");

        double applied = reloads("applied");
        Files.writeString(configuration, "# saved again\n" + HANDLING_CONFIGURATION);
        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
        assertThat(routeConfigurations()).as("saved again").hasSize(shipped.size() + 1);
        assertThat(anonymousGet("/webhooks/failing-probe").body()).isEqualTo("handled by the configuration");

        double appliedWithout = reloads("applied");
        Files.delete(configuration);
        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > appliedWithout);
        assertThat(anonymousGet("/webhooks/failing-probe").statusCode()).isEqualTo(500);
        assertThat(routeConfigurations()).as("deleted").isEqualTo(shipped);
    }

    @Test
    void aRouteConfigurationOfAChangeThatFailsAsItIsAppliedIsTakenBackWithIt() throws IOException {
        List<String> shipped = routeConfigurations();
        double refused = reloads("refused");
        // the second consumer of direct:order-notification fails only as it starts (see the test above)
        Files.writeString(ROUTES.resolve("failing.camel.yaml"), HANDLING_CONFIGURATION + SECOND_CONSUMER_OF_ORDERS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("refused") > refused);
        assertThat(routeConfigurations()).isEqualTo(shipped);
        assertThat(servesOrders()).isTrue();
    }

    /** Passes the check, but Camel refuses it as it starts: direct:order-notification has its consumer already. */
    private static final String SECOND_CONSUMER_OF_ORDERS = """
            - route:
                id: second-consumer-of-orders
                from:
                  uri: direct:order-notification
                  steps:
                    - log: "never"
            """;

    /** Applies to every route that names no configuration of its own. */
    private static final String HANDLING_CONFIGURATION = """
            - routeConfiguration:
                onException:
                  - onException:
                      exception:
                        - java.lang.IllegalStateException
                      handled:
                        constant: true
                      steps:
                        - setBody:
                            constant: "handled by the configuration"
            """;

    private static final String FAILING_PROBE = """
            - route:
                id: failing-probe
                from:
                  uri: "platform-http:/webhooks/failing-probe"
                  parameters:
                    httpMethodRestrict: GET
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: "probe failed"
            """;

    /** The ids of the route configurations Camel holds ("" for one without an id), sorted. */
    private List<String> routeConfigurations() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteConfigurationDefinitions().stream()
                .map(definition -> definition.getId() == null ? "" : definition.getId()).sorted().toList();
    }

    /** The webhooks the gate lets go after a swap all call direct: routes at once (SwapSafeDirectComponentTest). */
    @Test
    void everyDirectCallGoesThroughTheSwapSafeComponent() throws Exception {
        assertThat(camel.getComponent("direct")).isInstanceOf(SwapSafeDirectComponent.class);
        assertThat(camel.getEndpoint("direct:order-notification").createProducer().getClass().getEnclosingClass())
                .isEqualTo(SwapSafeDirectComponent.class);
    }

    @Test
    void aSwapWaitsForAWebhookInProgressAndIsAppliedOnceItIsAnswered() throws Exception {
        double applied = reloads("applied");
        double deferred = reloads("deferred");
        CountDownLatch inProgress = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        ExecutorService webhook = Executors.newSingleThreadExecutor();
        // A webhook the swap must wait for: held inside the gate, as a slow broker commit would hold it.
        Future<Void> held = HeldWebhook.pass(gate, inProgress, answer, webhook);
        try {
            assertThat(inProgress.await(5, TimeUnit.SECONDS)).isTrue();
            edit("orders.camel.yaml", "queued on", "queued (swapped) on");

            // drain timeout 2 s: the swap is put off, and the routes in service are untouched
            await().atMost(20, TimeUnit.SECONDS).until(() -> reloads("deferred") > deferred);
            assertThat(reloads("applied")).isEqualTo(applied);
            // and not tried again at the next look (every 250 ms): new webhooks have the gate to themselves for a
            // while (the wait starts at the drain timeout and doubles), instead of being held most of the time
            await().during(1500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !gate.swapWaiting());
        } finally {
            answer.countDown();
            held.get(5, TimeUnit.SECONDS);
            webhook.shutdown();
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> reloads("applied") > applied);
        assertThat(servesOrders()).isTrue();
    }

    private boolean servesOrders() {
        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", nextOrder());
        return response.statusCode() == 200 && BROKER.receive("bandwidth.orders", null, 2000) != null;
    }

    private static String nextOrder() {
        return Orders.numbered(ORDER_NUMBER.incrementAndGet());
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = ROUTES.resolve(file);
        String content = Files.readString(path);
        assertThat(content).as("%s contains %s", file, from).contains(from);
        Files.writeString(path, content.replace(from, to), StandardCharsets.UTF_8);
    }

    private double reloads(String outcome) {
        return meters.get("numbers.router.route.reloads").tag("outcome", outcome).counter().count();
    }

    private String health() {
        return new Management(managementPort).health();
    }

    private HttpResponse<String> anonymousGet(String path) {
        return BandwidthClient.anonymous(port).send(BandwidthClient.anonymous(port).request(path).GET());
    }

    private BandwidthClient bandwidth() {
        return BandwidthClient.bandwidth(port);
    }

    private static String readOrNull(Path path) throws IOException {
        return Files.exists(path) ? Files.readString(path) : null;
    }
}
