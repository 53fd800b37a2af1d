package com.numbersrouter.dedupe;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Remembers notification keys for a time window, in memory, bounded in size (oldest forgotten first).
 * Camel's MemoryIdempotentRepository bounds only by count; a webhook receiver needs "the same notification within
 * the retry horizon", which is a time.
 */
public class TimeWindowIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final long windowMillis;
    private final int maxEntries;
    private final Clock clock;
    /** Insertion order = arrival order, so the eldest entries are at the head. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public TimeWindowIdempotentRepository(Duration window, int maxEntries, Clock clock) {
        this.windowMillis = window.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public synchronized boolean add(String key) {
        long now = clock.millis();
        evict(now);
        if (seen.containsKey(key)) {
            return false;
        }
        seen.put(key, now);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        evict(clock.millis());
        return seen.containsKey(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return seen.remove(key) != null;
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
        Iterator<Map.Entry<String, Long>> eldest = seen.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Long> entry = eldest.next();
            if (seen.size() > maxEntries || now - entry.getValue() >= windowMillis) {
                eldest.remove();
            } else {
                break;
            }
        }
    }
}
