package com.numbersrouter.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeadLetterCountsTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong();

    @Test
    void eachQueueShowsItsLastCountAndNaNBeforeTheFirst() {
        DeadLetterCounts counts = new DeadLetterCounts((queue, shared) -> shared ? 1 : 3,
                Map.of("DLQ.bandwidth.events", false, "ActiveMQ.DLQ", true), meters, Duration.ofMinutes(1), now::get);
        assertThat(gauge("ActiveMQ.DLQ")).isNaN();

        counts.countAll();

        assertThat(gauge("DLQ.bandwidth.events")).isEqualTo(3);
        assertThat(gauge("ActiveMQ.DLQ")).isEqualTo(1);
    }

    @Test
    void aQueueThatCannotBeReadIsNaNAtOnce() {
        boolean[] brokerDown = {false};
        DeadLetterCounts counts = new DeadLetterCounts((queue, shared) -> {
            if (brokerDown[0]) {
                throw new IllegalStateException("Could not connect to broker");
            }
            return 2;
        }, Map.of("bandwidth.unclassified", false), meters, Duration.ofMinutes(1), now::get);
        counts.countAll();
        assertThat(gauge("bandwidth.unclassified")).isEqualTo(2);

        brokerDown[0] = true;
        counts.countAll();

        assertThat(gauge("bandwidth.unclassified")).isNaN();
    }

    /** A count that hangs (a failover: URL without a timeout while the broker is away) leaves no old count standing. */
    @Test
    void aCountOlderThanTwoIntervalsAndThirtySecondsIsNaN() {
        DeadLetterCounts counts = new DeadLetterCounts((queue, shared) -> 4, Map.of("ActiveMQ.DLQ", true), meters,
                Duration.ofMinutes(1), now::get);
        counts.countAll();

        now.addAndGet(Duration.ofSeconds(150).toNanos());
        assertThat(gauge("ActiveMQ.DLQ")).isEqualTo(4);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(gauge("ActiveMQ.DLQ")).isNaN();
    }

    private double gauge(String queue) {
        return meters.get("numbers.router.dead.letters").tag("queue", queue).gauge().value();
    }
}
