package com.numbersrouter.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of webhook bodies held in memory at once, node-wide ({@code numbers-router.webhook.body-memory}).
 * {@link WebhookBodyBuffer} reads every body whole before its credentials are checked (they are checked in the
 * routes, which operators may edit). Without this bound, Tomcat's 256 threads each holding a body of
 * {@code max-body-size} would be 256 MiB, more than the image's heap: a few hundred unauthenticated uploads would
 * make the node exit ({@code -XX:+ExitOnOutOfMemoryError}), and Bandwidth retries no notification.
 */
final class BodyMemory {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyMemory(long limit) {
        this.limit = limit;
    }

    /** @return whether {@code bytes} more fit under the limit; if so they are now held, until {@link #release} */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
