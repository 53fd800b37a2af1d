package com.numbersrouter.broker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How order and event notifications are committed to the broker.
 *
 * @param maxMessages most notifications in one JMS transaction; 1 commits each on its own
 * @param committers  transactions in flight at once. One by default: each commit then takes every notification that
 *                    came during the last, so there are fewer, larger transactions; more can help a remote broker
 *                    whose commits take long
 * @param timeout     how long a webhook waits for its commit before it is kept in the local spool instead
 */
@ConfigurationProperties("numbers-router.broker.group-commit")
public record GroupCommitProperties(
        @DefaultValue("256") int maxMessages,
        @DefaultValue("1") int committers,
        @DefaultValue("5s") Duration timeout) {

    public GroupCommitProperties {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("numbers-router.broker.group-commit.max-messages must be at least 1");
        }
        if (committers < 1) {
            throw new IllegalArgumentException("numbers-router.broker.group-commit.committers must be at least 1");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("numbers-router.broker.group-commit.timeout must be positive");
        }
    }
}
