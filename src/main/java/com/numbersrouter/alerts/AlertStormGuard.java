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
