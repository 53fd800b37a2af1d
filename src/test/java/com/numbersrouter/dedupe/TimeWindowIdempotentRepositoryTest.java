package com.numbersrouter.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import com.numbersrouter.support.MutableClock;
import org.junit.jupiter.api.Test;

/** The in-memory duplicate check: what a retry of the same notification meets within and after the window. */
class TimeWindowIdempotentRepositoryTest {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final String ORDER = "order:" + "ab".repeat(32);
    private static final String SAME_ORDER_NEXT_STATUS = "order:" + "ab".repeat(31) + "ac";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

    @Test
    void aRetryWithinTheWindowIsADuplicateAndAnotherNotificationIsNot() {
        TimeWindowIdempotentRepository repository = new TimeWindowIdempotentRepository(WINDOW, 10, clock);

        assertThat(repository.add(ORDER)).isTrue();
        clock.advance(WINDOW.minusSeconds(1));
        assertThat(repository.contains(ORDER)).isTrue();
        assertThat(repository.add(ORDER)).as("the same key again").isFalse();
        assertThat(repository.add(SAME_ORDER_NEXT_STATUS)).as("a key differing in its last character").isTrue();
        assertThat(repository.add("event:" + "ab".repeat(32))).as("the same hash under another type").isTrue();
        assertThat(repository.size()).isEqualTo(3);
    }

    @Test
    void aKeyIsForgottenOnceTheWindowHasPassedAndADuplicateDoesNotRenewIt() {
        TimeWindowIdempotentRepository repository = new TimeWindowIdempotentRepository(WINDOW, 10, clock);
        repository.add(ORDER);
        clock.advance(WINDOW.minusMinutes(1));
        repository.add(ORDER); // a duplicate: the window still runs from the first delivery

        clock.advance(Duration.ofMinutes(1));

        assertThat(repository.contains(ORDER)).isFalse();
        assertThat(repository.size()).isZero();
        assertThat(repository.add(ORDER)).as("delivered again after the window: passed on").isTrue();
    }

    @Test
    void beyondItsBoundTheOldestKeysAreForgottenFirst() {
        TimeWindowIdempotentRepository repository = new TimeWindowIdempotentRepository(WINDOW, 3, clock);
        for (int i = 1; i <= 5; i++) {
            repository.add("order:" + i);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(repository.contains("order:5")).isTrue();
        assertThat(repository.size()).isEqualTo(3);
        assertThat(repository.contains("order:3")).isTrue();
        assertThat(repository.contains("order:4")).isTrue();
        assertThat(repository.contains("order:1")).isFalse();
        assertThat(repository.contains("order:2")).isFalse();
    }

    @Test
    void aKeyRemovedAfterAFailedAttemptLetsTheRetryThrough() {
        TimeWindowIdempotentRepository repository = new TimeWindowIdempotentRepository(WINDOW, 10, clock);
        repository.add(ORDER);

        assertThat(repository.remove(ORDER)).isTrue();
        assertThat(repository.remove(ORDER)).as("nothing left to remove").isFalse();
        assertThat(repository.add(ORDER)).isTrue();
    }

    @Test
    void clearForgetsEverything() {
        TimeWindowIdempotentRepository repository = new TimeWindowIdempotentRepository(WINDOW, 10, clock);
        repository.add(ORDER);
        repository.add(SAME_ORDER_NEXT_STATUS);

        repository.clear();

        assertThat(repository.size()).isZero();
        assertThat(repository.add(ORDER)).isTrue();
    }
}
