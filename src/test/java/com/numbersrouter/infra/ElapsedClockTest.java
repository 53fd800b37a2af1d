package com.numbersrouter.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windows of time (lockouts, remembered answers) follow the time that has passed, not the wall clock's steps. */
class ElapsedClockTest {

    @Test
    void readsTheStartTimePlusWhatHasElapsedOnTheMonotonicClock() {
        AtomicLong monotonic = new AtomicLong(-5_000_000_000L); // nanoTime may be negative; only differences count
        Instant start = Instant.parse("2025-03-04T10:00:00Z");
        ElapsedClock clock = new ElapsedClock(start, monotonic::get);

        assertThat(clock.instant()).isEqualTo(start);
        monotonic.addAndGet(Duration.ofMinutes(30).toNanos());
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-03-04T10:30:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2025-03-04T10:30:00Z").toEpochMilli());
    }

    /** What the node gives the port-out guard: near the wall clock when nothing has stepped it. */
    @Test
    void theNodesClockStartsAtTheWallClock() {
        Instant before = Instant.now();
        Instant read = new ElapsedClock().instant();
        assertThat(read).isBetween(before, Instant.now());
    }
}
