package com.numbersrouter.dedupe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Remembers notification keys for a time window, in memory, bounded in size (oldest forgotten first).
 * Camel's MemoryIdempotentRepository bounds only by count; a webhook receiver needs "the same notification within
 * the retry horizon", which is a time.
 *
 * <p>A key is kept as the first 128 bits of its SHA-256 with the time it was added: about 90 bytes an entry
 * instead of about 175 for the key's 70 characters, its map entry and a boxed time. At the default 200,000 keys
 * that is about 17 MB less of a 224 MiB heap that the collector must go through in every full collection. Two
 * different keys share a fingerprint with a chance of about 10^-28 at that size, so a notification is not dropped
 * for it in practice; the key itself is any string a route gives, not only {@link NotificationKeys}' own.
 */
public class TimeWindowIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final long windowMillis;
    private final int maxEntries;
    private final Clock clock;
    /** Insertion order = arrival order, so the eldest entries are at the head. */
    private final LinkedHashSet<Fingerprint> seen = new LinkedHashSet<>();

    public TimeWindowIdempotentRepository(Duration window, int maxEntries, Clock clock) {
        this.windowMillis = window.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        Fingerprint fingerprint = Fingerprint.of(key);
        synchronized (this) {
            long now = clock.millis();
            evict(now);
            fingerprint.addedAt = now;
            // a set keeps the element it has: a duplicate does not move or renew the first one
            return seen.add(fingerprint);
        }
    }

    @Override
    public boolean contains(String key) {
        Fingerprint fingerprint = Fingerprint.of(key);
        synchronized (this) {
            evict(clock.millis());
            return seen.contains(fingerprint);
        }
    }

    @Override
    public boolean remove(String key) {
        Fingerprint fingerprint = Fingerprint.of(key);
        synchronized (this) {
            return seen.remove(fingerprint);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        seen.clear();
    }

    public synchronized int size() {
        return seen.size();
    }

    private void evict(long now) {
        Iterator<Fingerprint> eldest = seen.iterator();
        while (eldest.hasNext()) {
            Fingerprint entry = eldest.next();
            if (seen.size() > maxEntries || now - entry.addedAt >= windowMillis) {
                eldest.remove();
            } else {
                break;
            }
        }
    }

    /** A key's identity (128 bits of its SHA-256) and, not part of it, when it was added. */
    private static final class Fingerprint {

        private final long high;
        private final long low;
        private long addedAt;

        private Fingerprint(long high, long low) {
            this.high = high;
            this.low = low;
        }

        static Fingerprint of(String key) {
            try {
                ByteBuffer digest = ByteBuffer.wrap(
                        MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
                return new Fingerprint(digest.getLong(), digest.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Fingerprint that && high == that.high && low == that.low;
        }

        @Override
        public int hashCode() {
            return (int) high; // already uniformly distributed
        }
    }
}
