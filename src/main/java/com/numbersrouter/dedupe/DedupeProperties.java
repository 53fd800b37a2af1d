package com.numbersrouter.dedupe;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Duplicate suppression for order and event notifications.
 *
 * @param window     how long a notification is remembered; a copy arriving within it is answered 200 and dropped.
 *                   Longer than Bandwidth's retry horizon (8 x 5 minutes for port-outs) and an operator's replay.
 * @param bodyWindow where nothing but the body identifies a notification (every event; orders without a
 *                   LastModifiedDate), two identical bodies are one only within this: Bandwidth's events carry no
 *                   time, and the same event can genuinely come again later the same day
 * @param maxEntries bound on the in-memory repository; the oldest keys are forgotten first beyond it
 * @param repository {@code memory} (this node only) or {@code jdbc} (Spring Boot's DataSource, shared by every node
 *                   on the same database; camel-sql's CAMEL_MESSAGEPROCESSED table, created if missing)
 * @param queryTimeout with {@code jdbc}: the most one look-up or record may take before it is given up (the
 *                   notification is then stored unchecked); Hikari's connection-timeout bounds only getting a
 *                   connection, and a database that hangs mid-query (a failover, a table lock) would hold the webhook
 */
@ConfigurationProperties("numbers-router.dedupe")
public record DedupeProperties(
        @DefaultValue("24h") Duration window,
        @DefaultValue("10m") Duration bodyWindow,
        @DefaultValue("200000") int maxEntries,
        @DefaultValue("memory") String repository,
        @DefaultValue("2s") Duration queryTimeout) {

    public DedupeProperties {
        // A misspelt repository (jdbcc) would otherwise leave the node on the in-memory one without a word: every
        // node of a cluster would then let the others' duplicates through.
        if (!"memory".equalsIgnoreCase(repository) && !"jdbc".equalsIgnoreCase(repository)) {
            throw new IllegalArgumentException("numbers-router.dedupe.repository must be memory or jdbc, not '"
                    + repository + "'");
        }
    }
}
