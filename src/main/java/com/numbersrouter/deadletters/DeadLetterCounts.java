package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * {@code numbers_router_dead_letters{queue}}: the node's messages waiting in each dead-letter queue, counted with a
 * queue browser (which takes nothing) every {@code numbers-router.dead-letters.count-interval}. The counters of what
 * arrived there ({@code numbers_router_alerts_total{outcome="dead-lettered"}}, unclassified webhooks) say when
 * something landed; this says that it is still there, and covers what the broker itself dead-letters (an order an
 * ESB kept failing to take), which no counter of the node sees. While a queue cannot be read (the broker is down:
 * its own alert fires), or its last count is older than two intervals and 30 s (a count that hangs, as one over a
 * {@code failover:} URL without a timeout does while the broker is away), its gauge is NaN, not a stale count.
 */
public final class DeadLetterCounts implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterCounts.class);

    /** Counts the node's messages on one queue; {@code shared}: the broker's own dead-letter queue. */
    @FunctionalInterface
    interface QueueCounter {
        int count(String queue, boolean shared);
    }

    private record Count(double value, long atNanos) {
    }

    private final QueueCounter counter;
    private final Map<String, Boolean> queues;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final long staleAfterNanos;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService scheduler;

    /** @param queues each dead-letter queue, and whether it is the broker's own, shared one */
    DeadLetterCounts(QueueCounter counter, Map<String, Boolean> queues, MeterRegistry meters, Duration interval) {
        this(counter, queues, meters, interval, System::nanoTime);
        // Not at once (the in-process broker may still be starting), but soon: NaN until the first count.
        long first = Math.min(interval.toMillis(), Duration.ofSeconds(10).toMillis());
        scheduler.scheduleWithFixedDelay(this::countAll, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts only when {@link #countAll} is called: for tests. */
    DeadLetterCounts(QueueCounter counter, Map<String, Boolean> queues, MeterRegistry meters, Duration interval,
            LongSupplier nanoTime) {
        this.counter = counter;
        this.queues = Map.copyOf(queues);
        this.staleAfterNanos = interval.multipliedBy(2).plusSeconds(30).toNanos();
        this.nanoTime = nanoTime;
        for (String queue : this.queues.keySet()) {
            Gauge.builder("numbers.router.dead.letters", this, counts -> counts.current(queue))
                    .description("The node's messages waiting in a dead-letter queue (NaN while it cannot be read)")
                    .tag("queue", queue)
                    .register(meters);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dead-letter-count");
            thread.setDaemon(true);
            return thread;
        });
    }

    double current(String queue) {
        Count count = counts.get(queue);
        return count == null || nanoTime.getAsLong() - count.atNanos() > staleAfterNanos ? Double.NaN : count.value();
    }

    void countAll() {
        queues.forEach((queue, shared) -> {
            try {
                int waiting = counter.count(queue, shared);
                counts.put(queue, new Count(waiting, nanoTime.getAsLong()));
            } catch (RuntimeException e) {
                counts.remove(queue);
                // the JMS health check and the broker alerts say why; one line here would repeat each interval
                LOG.debug("Cannot count dead letters on {}: {}", queue, e.toString());
            }
        });
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
