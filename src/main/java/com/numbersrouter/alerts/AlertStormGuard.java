package com.numbersrouter.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides whether an event's alert goes out at once or into the next digest. A port-in of thousands of numbers can
 * raise thousands of events: the first of an event type in a window is mailed at once (someone must look), the
 * rest of that window are batched into one digest at its end. Nothing is dropped, only batched.
 */
public class AlertStormGuard {

    /**
     * Event types with a window open at most. Bandwidth sends a few dozen; a sender making up types (a leaked
     * credential, a broken integration) would otherwise get one mail each, through the mail throttle, ahead of the
     * real alerts, and grow this map for ever. Beyond it, events are batched into the digest: nothing is lost.
     */
    static final int MAX_OPEN_WINDOWS = 100;

    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentMap<String, Long> windowOpenedAt = new ConcurrentHashMap<>();

    public AlertStormGuard(Duration window, Clock clock) {
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Closes every open window: the next event of each type is mailed at once again. */
    public void reset() {
        windowOpenedAt.clear();
    }

    /** True for the first event of its type in the current window (mail it now); false to batch it. */
    public boolean firstInWindow(String eventType) {
        String key = eventType == null ? "" : eventType;
        long now = clock.millis();
        if (windowOpenedAt.size() >= MAX_OPEN_WINDOWS && !windowOpenedAt.containsKey(key)) {
            windowOpenedAt.values().removeIf(opened -> now - opened >= windowMillis);
            if (windowOpenedAt.size() >= MAX_OPEN_WINDOWS) {
                return false;
            }
        }
        boolean[] first = {false};
        windowOpenedAt.compute(key, (k, opened) -> {
            if (opened == null || now - opened >= windowMillis) {
                first[0] = true;
                return now;
            }
            return opened;
        });
        return first[0];
    }
}
