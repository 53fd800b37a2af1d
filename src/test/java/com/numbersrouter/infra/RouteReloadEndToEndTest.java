package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes are read from the routes folder at start-up and reloaded on save, without a restart. The node runs on a
 * copy of the real routes/ folder, which the test edits like an operator would.
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class RouteReloadEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("reload-broker");
    private static final Path ROUTES = copyOfRoutes();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.routes.directory", ROUTES::toString);
    }

    @Test
    void editingARouteFileChangesWhereOrdersGoWithoutARestart() throws IOException {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        String order = Payloads.read("orders/order-complete.xml");
        assertThat(client.post("/webhooks/bandwidth", order).statusCode()).isEqualTo(200);
        assertThat(BROKER.receive("bandwidth.orders")).isNotNull();

        Path orders = ROUTES.resolve("orders.camel.yaml");
        String edited = Files.readString(orders)
                .replace("jms:queue:{{numbers-router.orders.queue}}", "jms:queue:erp.orders");
        assertThat(edited).contains("erp.orders");
        Files.writeString(orders, edited, StandardCharsets.UTF_8);

        await().atMost(20, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).until(() -> {
            assertThat(client.post("/webhooks/bandwidth", order).statusCode()).isEqualTo(200);
            return BROKER.receive("erp.orders", null, 200) != null;
        });
    }

    private static Path copyOfRoutes() {
        try {
            Path target = Files.createTempDirectory("numbers-router-routes");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
