package com.numbersrouter.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ThrottledWarningTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ThrottledWarning warning = new ThrottledWarning(Duration.ofMinutes(1), nanos::get);
    private final List<String> lines = new ArrayList<>();

    private void seen(boolean marked) {
        warning.seen(marked, (count, markedCount) -> lines.add(count + "/" + markedCount));
    }

    @Test
    void theFirstIsWrittenAtOnceThenOneLineAMinuteCountsTheRest() {
        seen(true);
        assertThat(lines).containsExactly("1/1");

        seen(false);
        seen(true);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
        seen(false);
        assertThat(lines).as("within the minute").containsExactly("1/1");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        seen(true);
        assertThat(lines).containsExactly("1/1", "4/2");

        nanos.addAndGet(TimeUnit.MINUTES.toNanos(5));
        seen(false);
        assertThat(lines).as("nothing carried over").containsExactly("1/1", "4/2", "1/0");
    }
}
