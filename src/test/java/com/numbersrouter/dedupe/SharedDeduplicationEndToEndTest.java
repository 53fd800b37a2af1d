package com.numbersrouter.dedupe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Duplicate suppression on a database, as several nodes share it: the key of a stored notification is a row, a
 * second delivery (which another node could receive) finds it, and keys older than the window are purged.
 * H2 in memory stands in for the operator's database.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        "numbers-router.dedupe.repository=jdbc",
        "spring.datasource.url=jdbc:h2:mem:dedupe;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa"
})
class SharedDeduplicationEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("dedupe-jdbc-broker");
    private static final Path ROUTES = TempFolders.copyOf(Path.of("routes"));

    @LocalServerPort
    int port;

    @Autowired
    IdempotentRepository notificationDeduplication;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.routes.directory", ROUTES::toString);
    }

    @Test
    void theSecondDeliveryFindsTheFirstInTheDatabaseAndExpiredKeysArePurged() {
        assertThat(notificationDeduplication).isInstanceOf(ExpiringJdbcMessageIdRepository.class);
        ExpiringJdbcMessageIdRepository repository = (ExpiringJdbcMessageIdRepository) notificationDeduplication;
        // count from an empty table, whatever the tests before left in it
        repository.getJdbcTemplate().update("DELETE FROM CAMEL_MESSAGEPROCESSED");
        BandwidthClient client = BandwidthClient.bandwidth(port);

        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(1)).statusCode()).isEqualTo(200);
        assertThat(client.post("/webhooks/bandwidth/orders", Orders.numbered(1)).statusCode()).isEqualTo(200);

        assertThat(BROKER.takeExactly("bandwidth.orders", 1)).hasSize(1);
        // the key is recorded when the exchange completes (eager: false), which may be just after the 200
        await().atMost(5, TimeUnit.SECONDS).until(() -> rows(repository) == 1);

        // A key recorded before the window (24 h) is gone after a purge; a fresh one stays.
        repository.getJdbcTemplate().update(
                "UPDATE CAMEL_MESSAGEPROCESSED SET createdAt = ?", Timestamp.from(Instant.now().minusSeconds(25 * 3600)));
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(2)).statusCode()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> rows(repository) == 2);
        assertThat(repository.purgeExpired()).isEqualTo(1);
        assertThat(rows(repository)).isEqualTo(1);
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(1)).statusCode()).isEqualTo(200);
        // the second order, and the first again once its key was purged
        assertThat(BROKER.takeExactly("bandwidth.orders", 2)).extracting(m -> m.getStringProperty("OrderId"))
                .containsExactly(Orders.id(2), Orders.id(1));
    }

    /** The database failing must not cost the notification: Bandwidth would never send it again. */
    @Test
    void aNotificationIsStoredWhenTheDatabaseCannotAnswer() {
        ExpiringJdbcMessageIdRepository repository = (ExpiringJdbcMessageIdRepository) notificationDeduplication;
        repository.getJdbcTemplate().execute("ALTER TABLE CAMEL_MESSAGEPROCESSED RENAME TO DEDUPE_AWAY");
        try {
            assertThat(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(30)).statusCode())
                    .isEqualTo(200);
            assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(30) + "'", 5_000)).isNotNull();
        } finally {
            repository.getJdbcTemplate().execute("ALTER TABLE DEDUPE_AWAY RENAME TO CAMEL_MESSAGEPROCESSED");
        }
    }

    /**
     * Every route edit is checked in a scratch context that shares the node's beans; stopping that context stopped
     * this repository, and with it the purge, until the orders route itself was next replaced: the table grew.
     */
    @Test
    void theRepositoryKeepsPurgingAfterAnOperatorEditsTheRoutes() throws Exception {
        ExpiringJdbcMessageIdRepository repository = (ExpiringJdbcMessageIdRepository) notificationDeduplication;
        assertThat(repository.purging()).isTrue();
        double applied = meters.get("numbers.router.route.reloads").tag("outcome", "applied").counter().count();

        Path unclassified = ROUTES.resolve("unclassified.camel.yaml");
        String original = Files.readString(unclassified);
        Files.writeString(unclassified, original.replace("rejected (400)", "refused (400)"));
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> meters.get("numbers.router.route.reloads")
                    .tag("outcome", "applied").counter().count() > applied);
            assertThat(repository.purging()).as("the purge runs on").isTrue();
        } finally {
            Files.writeString(unclassified, original);
            await().atMost(10, TimeUnit.SECONDS).until(() -> meters.get("numbers.router.route.reloads")
                    .tag("outcome", "applied").counter().count() > applied + 1);
        }
        assertThat(repository.purging()).isTrue();
    }

    private static Integer rows(ExpiringJdbcMessageIdRepository repository) {
        return repository.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED", Integer.class);
    }
}
