package com.numbersrouter.routes;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps webhooks and route swaps apart: a swap starts once the webhooks in progress are answered, and webhooks that
 * arrive meanwhile wait for it to finish.
 *
 * <p>Camel stops a route while callers may still reach it: an exchange that arrives at a {@code direct:} route the
 * moment it stops is refused with a {@code RejectedExecutionException}, and the webhook would fail. Retrying that
 * in the routes' error handling would work, but Camel's error handler then copies the exchange before every step of
 * every intake route, for the sake of an operator's edit a few times a year, and a port-out (whose error handling
 * answers at once, never retries) would still get the fail mode's answer. Waiting here costs a read lock per webhook
 * and, during a swap, the few milliseconds it takes.
 *
 * <p>Each webhook holds the read side for its whole request, which runs on its own thread
 * ({@link com.numbersrouter.ingress.SameThreadExchanges}); {@link #whenDrained} takes the write side. A queued swap
 * holds back new webhooks, so it cannot be starved by a steady stream of them. If the webhooks in progress do not
 * finish within the drain timeout (a broker that answers slowly), the swap is not made and the waiting webhooks go
 * on; the reloader tries again at its next look.
 *
 * <p>When a swap is done, the webhooks it held all call the new routes at the same moment; Camel's own
 * {@code direct:} producer could then hand one of them to a route just removed ({@link SwapSafeDirectComponent}).
 */
public class RouteSwapGate extends OncePerRequestFilter {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        lock.readLock().lock();
        try {
            chain.doFilter(request, response);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code swap} once no webhook is in progress, with new ones held back until it returns.
     *
     * @return {@code false}, without running it, if the webhooks in progress were not all answered within
     *         {@code drainTimeout}
     */
    public boolean whenDrained(Duration drainTimeout, Swap swap) throws Exception {
        if (!lock.writeLock().tryLock(drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            swap.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** For tests: whether a swap waits for webhooks in progress. */
    boolean swapWaiting() {
        return !lock.isWriteLocked() && lock.hasQueuedThreads();
    }

    /** For tests: whether webhooks wait for a swap. */
    boolean webhooksWaiting() {
        return lock.isWriteLocked() && lock.hasQueuedThreads();
    }

    /** A change of the routes. */
    @FunctionalInterface
    public interface Swap {
        void run() throws Exception;
    }
}
