package com.numbersrouter.dedupe;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionException;

/**
 * camel-sql's JDBC repository, shared by every node on the same database, with the time window it lacks: keys
 * older than the window are deleted every minute, so a notification is a duplicate only within the window and
 * the table stays bounded.
 *
 * <p>It fails open. A database that cannot answer must not cost a notification: the intake routes ask this
 * repository before storing anything, Bandwidth retries no notification, and an exception here would answer 500.
 * A key that cannot be looked up counts as not seen, so the notification is stored (at worst twice: ESB consumers
 * key on {@code OrderId} and {@code LastModifiedDate}); one WARN says so when the database stops answering, one INFO
 * when it answers again.
 */
public class ExpiringJdbcMessageIdRepository extends JdbcMessageIdRepository
        implements InitializingBean, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiringJdbcMessageIdRepository.class);
    static final String PROCESSOR_NAME = "numbers-router";

    private final Duration window;
    private final Clock clock;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean tableReady = new AtomicBoolean();
    private final JdbcTemplate purgeTemplate;
    private ScheduledExecutorService purger;

    /**
     * @param queryTimeout the most a look-up or record may take: a database that hangs mid-query (a failover, a table
     *                     lock) then fails it, and the notification is stored unchecked, instead of holding its
     *                     webhook past Bandwidth's timeout. The minute's purge has no such bound (a big delete).
     */
    public ExpiringJdbcMessageIdRepository(DataSource dataSource, Duration window, Duration queryTimeout, Clock clock) {
        super(dataSource, PROCESSOR_NAME);
        this.window = window;
        this.clock = clock;
        this.purgeTemplate = new JdbcTemplate(dataSource);
        // JDBC counts whole seconds; less than one would be none at all
        getJdbcTemplate().setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
    }

    @Override
    public boolean contains(String key) {
        try {
            boolean seen = super.contains(key);
            answered();
            return seen;
        } catch (DataAccessException | TransactionException e) {
            notAnswered(e);
            return false;
        }
    }

    @Override
    public boolean add(String key) {
        try {
            boolean added = super.add(key);
            answered();
            return added;
        } catch (DataAccessException | TransactionException e) {
            notAnswered(e);
            return true;
        }
    }

    @Override
    public boolean remove(String key) {
        try {
            return super.remove(key);
        } catch (DataAccessException | TransactionException e) {
            notAnswered(e);
            return false;
        }
    }

    @Override
    public boolean confirm(String key) {
        try {
            return super.confirm(key);
        } catch (DataAccessException | TransactionException e) {
            notAnswered(e);
            return true;
        }
    }

    private void notAnswered(NestedRuntimeException e) {
        notAnswered(e.getMostSpecificCause().getMessage());
    }

    private void notAnswered(String reason) {
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Duplicate suppression database not answering ({}): notifications are stored without the check,"
                    + " so a repeat may be stored twice, until it answers again", reason);
        }
    }

    /**
     * Camel starts this repository with every route that uses it and with the check of every route edit. camel-sql
     * looks for its table then, and creates it, and a database that cannot answer would fail that start: the node
     * would not start, and every route edit would be refused or, applied, leave intake without its routes. Here the
     * table is looked for until that succeeds once (at a start, or at a purge), and a failure is an outage like any.
     */
    @Override
    protected void doStart() {
        tableReady();
    }

    /** Synchronized: a route's start and the purge may look at once, and both would try to create the table. */
    private synchronized boolean tableReady() {
        if (tableReady.get()) {
            return true;
        }
        try {
            super.doStart();
            tableReady.set(true);
            answered();
            return true;
        } catch (NestedRuntimeException e) {
            notAnswered(e);
            return false;
        } catch (Exception e) {
            notAnswered(e.getMessage());
            return false;
        }
    }

    private void answered() {
        if (failing.compareAndSet(true, false)) {
            LOG.info("Duplicate suppression database answering again");
        }
    }

    /** Deletes the keys recorded before the window (making the table first, if no start could); returns how many. */
    public int purgeExpired() {
        if (!tableReady()) {
            return 0;
        }
        Timestamp oldest = Timestamp.from(clock.instant().minus(window));
        return purgeTemplate.update(
                "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt < ?", PROCESSOR_NAME, oldest);
    }

    /**
     * Starts the purge. Spring owns it, not Camel: every route using this repository, and the scratch context each
     * route edit is checked in, starts and stops it with itself, and a stop that ended the purge left it ended until
     * the orders route itself was replaced (an edit of another file, even a refused one, did that).
     */
    @Override
    public void afterPropertiesSet() {
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

    /** Whether keys older than the window are still purged every minute. */
    public boolean purging() {
        return purger != null && !purger.isShutdown();
    }

    @Override
    public void destroy() {
        if (purger != null) {
            purger.shutdownNow();
        }
    }
}
