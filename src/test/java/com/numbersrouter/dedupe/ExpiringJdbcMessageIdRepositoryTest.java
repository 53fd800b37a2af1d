package com.numbersrouter.dedupe;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The shared duplicate store fails open: a database that cannot answer lets notifications through (to be stored,
 * perhaps twice) instead of failing their webhooks, which Bandwidth would never send again. H2 in memory stands in
 * for the operator's database; a switch in front of it stands in for the database going away.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExpiringJdbcMessageIdRepositoryTest {

    private final AtomicBoolean databaseDown = new AtomicBoolean();
    private ExpiringJdbcMessageIdRepository repository;

    @BeforeEach
    void startOnAnEmptyDatabase() {
        repository = onAnEmptyDatabase();
        repository.start();
    }

    /** A repository on an empty in-memory database that refuses connections while {@link #databaseDown}. */
    private ExpiringJdbcMessageIdRepository onAnEmptyDatabase() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:dedupe-unit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        DelegatingDataSource switchable = new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                if (databaseDown.get()) {
                    throw new SQLException("Connection refused");
                }
                return super.getConnection();
            }
        };
        return new ExpiringJdbcMessageIdRepository(switchable, Duration.ofHours(24), Duration.ofSeconds(1), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        repository.stop();
    }

    /**
     * A database that hangs mid-query (a failover, a table lock) rather than refusing the connection: the look-up is
     * given up after the query timeout (1 s here), and the notification goes on unchecked instead of waiting with it.
     */
    @Test
    void aDatabaseThatHangsMidQueryIsGivenUpOnAtTheQueryTimeout(CapturedOutput output) {
        JdbcTemplate db = repository.getJdbcTemplate();
        db.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'");
        db.execute("ALTER TABLE CAMEL_MESSAGEPROCESSED RENAME TO KEYS_KEPT");
        db.update("INSERT INTO KEYS_KEPT (processorName, messageId, createdAt) VALUES (?, 'order-1', CURRENT_TIMESTAMP)",
                ExpiringJdbcMessageIdRepository.PROCESSOR_NAME);
        // Every row read sleeps 10 ms: the look-up would take over 15 minutes. H2 checks the statement timeout
        // between rows, where a real database's cancel would land too.
        db.execute("CREATE VIEW CAMEL_MESSAGEPROCESSED AS SELECT k.* FROM KEYS_KEPT k, SYSTEM_RANGE(1, 100000)"
                + " WHERE SLEEP(10) IS NULL");

        boolean seen = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> repository.contains("order-1"));

        assertThat(seen).as("not known to be a duplicate: stored unchecked").isFalse();
        assertThat(output).contains("Duplicate suppression database not answering");
    }

    /** A node (or a route edit) starting while the database is down: the table is made once it answers. */
    @Test
    void aStartWhileTheDatabaseIsDownFailsNothingAndTheTableIsMadeWhenItAnswers() {
        repository.stop();
        databaseDown.set(true);
        repository = onAnEmptyDatabase();

        assertThatCode(repository::start).doesNotThrowAnyException();
        assertThat(repository.isStarted()).isTrue();
        assertThat(repository.add("order-1")).as("stored without the check").isTrue();

        databaseDown.set(false);
        assertThat(repository.purgeExpired()).isZero();
        assertThat(repository.add("order-2")).isTrue();
        assertThat(repository.contains("order-2")).as("the table exists now").isTrue();
    }

    @Test
    void aKeyThatCannotBeLookedUpCountsAsNotSeenAndTheOutageIsLoggedOnce(CapturedOutput output) {
        assertThat(repository.add("order-1")).isTrue();
        assertThat(repository.contains("order-1")).isTrue();

        databaseDown.set(true);
        assertThat(repository.contains("order-1")).as("not seen: the repeat is stored rather than lost").isFalse();
        assertThat(repository.add("order-2")).isTrue();
        assertThat(repository.confirm("order-2")).isTrue();
        assertThat(repository.remove("order-2")).isFalse();
        assertThat(output.getOut()).containsOnlyOnce("Duplicate suppression database not answering (Connection refused)");

        databaseDown.set(false);
        assertThat(repository.contains("order-1")).isTrue();
        assertThat(output.getOut()).containsOnlyOnce("Duplicate suppression database answering again");
    }

    @Test
    void aDatabaseThatAnswersWithAnErrorIsTreatedTheSame() {
        repository.getJdbcTemplate().execute("DROP TABLE CAMEL_MESSAGEPROCESSED");

        assertThat(repository.contains("order-1")).isFalse();
        assertThat(repository.add("order-1")).isTrue();
    }
}
