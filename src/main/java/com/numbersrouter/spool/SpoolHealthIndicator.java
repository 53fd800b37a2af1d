package com.numbersrouter.spool;

import java.time.Instant;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * {@code spool} on the health endpoint: UP when empty, DEGRADED while notifications wait for the broker (nothing
 * is lost, but downstream systems are behind) or spooled files the forwarder could not read wait for an operator. DEGRADED is mapped to HTTP 200, so readiness (which
 * includes the spool) stays 200: the node is accepting webhooks, which is exactly what it should keep doing.
 */
public class SpoolHealthIndicator implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED");

    private final NotificationSpool spool;

    public SpoolHealthIndicator(NotificationSpool spool) {
        this.spool = spool;
    }

    @Override
    public Health health() {
        long depth = spool.depth();
        long unreadable = spool.unreadable();
        Health.Builder health = depth == 0 && unreadable == 0 ? Health.up() : Health.status(DEGRADED);
        health.withDetail("directory", spool.directory().toString()).withDetail("depth", depth);
        if (unreadable != 0) {
            // set aside by the forwarder, not forwarded: an operator must look at them (README "Where things go");
            // -1: the folder cannot be listed
            health.withDetail("unreadable", unreadable);
        }
        Instant oldest = depth == 0 ? null : spool.oldest();
        if (oldest != null) {
            health.withDetail("oldest", oldest.toString());
        }
        return health.build();
    }
}
