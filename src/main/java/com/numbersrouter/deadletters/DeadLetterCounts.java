package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * its own alert fires) its gauge is NaN, not a stale count.
 */
public final class DeadLetterCounts implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterCounts.class);

    private final DeadLetterBrowser browser;
    private final Map<String, Boolean> queues;
    private final Map<String, Double> counts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService counter;

    /** @param queues each dead-letter queue, and whether it is the broker's own, shared one */
    DeadLetterCounts(DeadLetterBrowser browser, Map<String, Boolean> queues, MeterRegistry meters, Duration interval) {
        this.browser = browser;
        this.queues = Map.copyOf(queues);
        for (String queue : this.queues.keySet()) {
            counts.put(queue, Double.NaN);
            Gauge.builder("numbers.router.dead.letters", counts, c -> c.getOrDefault(queue, Double.NaN))
                    .description("The node's messages waiting in a dead-letter queue (NaN while it cannot be read)")
                    .tag("queue", queue)
                    .register(meters);
        }
        counter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dead-letter-count");
            thread.setDaemon(true);
            return thread;
        });
        // Not at once (the in-process broker may still be starting), but soon: NaN until the first count.
        long first = Math.min(interval.toMillis(), Duration.ofSeconds(10).toMillis());
        counter.scheduleWithFixedDelay(this::countAll, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void countAll() {
        queues.forEach((queue, shared) -> {
            try {
                counts.put(queue, (double) browser.count(queue, shared));
            } catch (RuntimeException e) {
                counts.put(queue, Double.NaN);
                // the JMS health check and the broker alerts say why; one line here would repeat each interval
                LOG.debug("Cannot count dead letters on {}: {}", queue, e.toString());
            }
        });
    }

    @Override
    public void destroy() {
        counter.shutdownNow();
    }
}
