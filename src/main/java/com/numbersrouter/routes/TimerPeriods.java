package com.numbersrouter.routes;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.util.TimeUtils;
import org.springframework.core.env.Environment;

/**
 * Durations the shipped routes hand to Camel timers as text ({@code {{numbers-router.spool.forward-every}}},
 * {@code {{numbers-router.alerts.storm.window}}}). Spring reads {@code 1S}, {@code 5M} or {@code PT1S} as a second or
 * five minutes; Camel's timer reads them as 0 ms and fires once: the spool would never be forwarded again, and no
 * digest would follow the first. The start stops instead, naming the property, unless both read it alike.
 */
public final class TimerPeriods {

    /** @param bound each property's name and the duration Spring bound from it */
    public TimerPeriods(Environment environment, Map<String, Duration> bound) {
        bound.forEach((property, duration) -> {
            if (duration.isNegative() || duration.isZero()) {
                // a timer with no period fires once: the spool, or the digests, would stop after the first round
                throw new IllegalStateException(property + " must be positive, not " + duration);
            }
            String text = environment.getProperty(property);
            if (text == null) {
                return; // the record's default, written the way Camel reads it
            }
            long camel;
            try {
                camel = TimeUtils.toMilliSeconds(text.trim());
            } catch (RuntimeException unreadable) {
                camel = -1;
            }
            if (camel != duration.toMillis()) {
                throw new IllegalStateException(property + "=" + text + " is " + duration.toMillis() + " ms to Spring but "
                        + camel + " ms to the Camel timer that uses it: write it as a number and a lower-case unit, "
                        + "such as 1s, 500ms or 5m");
            }
        });
    }
}
