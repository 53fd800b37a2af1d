package com.numbersrouter.dedupe;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-sql's JDBC repository, shared by every node on the same database, with the time window it lacks: keys
 * older than the window are deleted every minute, so a notification is a duplicate only within the window and
 * the table stays bounded.
 */
public class ExpiringJdbcMessageIdRepository extends JdbcMessageIdRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiringJdbcMessageIdRepository.class);
    static final String PROCESSOR_NAME = "numbers-router";

    private final Duration window;
    private final Clock clock;
    private ScheduledExecutorService purger;

    public ExpiringJdbcMessageIdRepository(DataSource dataSource, Duration window, Clock clock) {
        super(dataSource, PROCESSOR_NAME);
        this.window = window;
        this.clock = clock;
    }

    /** Deletes the keys recorded before the window; returns how many. */
    public int purgeExpired() {
        Timestamp oldest = Timestamp.from(clock.instant().minus(window));
        return getJdbcTemplate().update(
                "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt < ?", PROCESSOR_NAME, oldest);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dedupe-purge");
            thread.setDaemon(true);
            return thread;
        });
        purger.scheduleWithFixedDelay(() -> {
            try {
                purgeExpired();
            } catch (RuntimeException e) {
                LOG.warn("Could not purge expired duplicate-suppression keys: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    protected void doStop() throws Exception {
        if (purger != null) {
            purger.shutdownNow();
        }
        super.doStop();
    }
}
