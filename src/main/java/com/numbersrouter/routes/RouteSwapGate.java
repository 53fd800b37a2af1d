package com.numbersrouter.routes;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.numbersrouter.ingress.IntakeAdmission;
import com.numbersrouter.ingress.PortOutRefusals;
import com.numbersrouter.operations.WebhookOutcomes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 *
 * <p>The gate is closed until the routes are first loaded ({@link #open}). Spring starts the web server before
 * camel-spring-boot starts the Camel context and the routes are loaded: a webhook in that second would have found
 * no route for its path and been answered 404, which Bandwidth takes as an approval for a port-out and never
 * retries for an order. It waits for the routes instead. Only if they are not there in time (a start that is
 * failing) is it answered: a notification 503 after {@code startWait}; a port-out, which Bandwidth approves on any
 * 4xx or 5xx, the fail mode's answer with 200 after {@code portOutWait} (the port-out deadline).
 */
public class RouteSwapGate extends OncePerRequestFilter {

    /** Set on a request once it has passed the gate, for the asynchronous dispatches that finish it. */
    private static final String PASSED = RouteSwapGate.class.getName() + ".passed";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CountDownLatch routesLoaded = new CountDownLatch(1);
    private final AtomicInteger waitingForRoutes = new AtomicInteger();
    private final Duration startWait;
    private final Duration portOutWait;
    private final PortOutRefusals refusals;
    private final MeterRegistry meters;

    /** For tests: port-outs are refused like notifications. */
    RouteSwapGate() {
        this(Duration.ofSeconds(25), Duration.ofSeconds(25), PortOutRefusals.NONE, new SimpleMeterRegistry());
    }

    /**
     * @param startWait   how long a notification waits for the routes at start-up (under Bandwidth's 30 s)
     * @param portOutWait how long a port-out waits for them before the fail mode answers
     */
    public RouteSwapGate(Duration startWait, Duration portOutWait, PortOutRefusals refusals, MeterRegistry meters) {
        this.startWait = startWait;
        this.portOutWait = portOutWait;
        this.refusals = refusals;
        this.meters = meters;
    }

    /** The routes are loaded and started: webhooks that came before go on, and later ones pass at once. */
    public void open() {
        routesLoaded.countDown();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(PASSED) != null) {
            // platform-http answering asynchronously: the same request finishing, after it passed
            chain.doFilter(request, response);
            return;
        }
        if (!routesLoaded(request, response)) {
            return;
        }
        // Not tryLock(): it would pass ahead of a swap waiting for the webhooks in progress, and under steady traffic
        // the swap would never find the gate empty. The timed form waits behind it, here not at all.
        if (!entered(0) && !passedAfterSwap(request, response)) {
            return;
        }
        request.setAttribute(PASSED, Boolean.TRUE);
        try {
            chain.doFilter(request, response);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        // a body read without a thread (WebhookBodyBuffer: any that was not whole in Tomcat's buffer, a bulk order's
        // completion for one) first reaches this filter on an asynchronous dispatch
        return false;
    }

    /**
     * A swap holds new webhooks for milliseconds. Should one hang in Camel or JMS, they wait no longer than a start
     * would make them wait, then are answered as at a start that fails: a port-out silent into Bandwidth's 30 s would
     * be approved.
     */
    private boolean passedAfterSwap(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean portOut = IntakeAdmission.isPortOut(request);
        long started = System.nanoTime();
        if (entered((portOut ? portOutWait : startWait).toNanos())) {
            return true;
        }
        refuse(portOut, started, request, response, "a route swap did not end in time",
                "a route change did not end in time");
        return false;
    }

    private boolean routesLoaded(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (routesLoaded.getCount() == 0) {
            return true;
        }
        boolean portOut = IntakeAdmission.isPortOut(request);
        long started = System.nanoTime();
        waitingForRoutes.incrementAndGet();
        try {
            if (routesLoaded.await((portOut ? portOutWait : startWait).toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingForRoutes.decrementAndGet();
        }
        refuse(portOut, started, request, response, "before any route served after the start",
                "the node is starting: no route is serving yet");
        return false;
    }

    private boolean entered(long waitNanos) {
        try {
            return lock.readLock().tryLock(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void refuse(boolean portOut, long started, HttpServletRequest request, HttpServletResponse response,
            String portOutWhy, String notificationWhy) throws IOException {
        if (portOut && refusals.overloaded() != null) {
            refusals.answerUndecided(response, portOutWhy, IntakeAdmission.rawBody(request),
                    request.getHeader("Authorization"));
            return;
        }
        // a notification lost: counted and logged like any webhook answered, so that an alert sees it
        WebhookOutcomes.record(meters, "unknown", "unavailable", null,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "30");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(Character.toUpperCase(notificationWhy.charAt(0)) + notificationWhy.substring(1)
                + "; retry later\n");
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

    /** For tests: how many webhooks wait for the routes to be loaded. */
    int webhooksWaitingForRoutes() {
        return waitingForRoutes.get();
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
