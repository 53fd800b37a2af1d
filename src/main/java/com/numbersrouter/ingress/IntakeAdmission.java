package com.numbersrouter.ingress;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the webhooks in progress, so a flood is shed with {@code 503} + {@code Retry-After} instead of queueing
 * without limit until the node falls over. Port-out validations posted to their own URL
 * ({@code /webhooks/bandwidth/portout-validation}) draw on a reserved pool: Bandwidth approves a port-out it gets
 * no answer for, so they must still be answered while notifications flood in. The bounds are sized far above
 * realistic Bandwidth bursts; reaching one is counted ({@code numbers_router_webhooks_shed_total}).
 *
 * <p>platform-http completes requests asynchronously, so a permit is released when the async request completes,
 * not when this filter returns.
 */
public class IntakeAdmission extends OncePerRequestFilter {

    static final String PORT_OUT_PATH = "/webhooks/bandwidth/portout-validation";

    private final Semaphore notifications;
    private final Semaphore portOuts;
    private final Counter shedNotifications;
    private final Counter shedPortOuts;

    public IntakeAdmission(int maxInFlight, int reservedForPortOut, MeterRegistry meters) {
        this.notifications = new Semaphore(maxInFlight);
        this.portOuts = new Semaphore(reservedForPortOut);
        this.shedNotifications = Counter.builder("numbers.router.webhooks.shed").tag("pool", "notifications")
                .description("Webhooks refused with 503 because the node was at its in-flight bound").register(meters);
        this.shedPortOuts = Counter.builder("numbers.router.webhooks.shed").tag("pool", "portout")
                .description("Webhooks refused with 503 because the node was at its in-flight bound").register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean portOut = PORT_OUT_PATH.equals(request.getRequestURI());
        Semaphore pool = portOut ? portOuts : notifications;
        if (!pool.tryAcquire()) {
            (portOut ? shedPortOuts : shedNotifications).increment();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Too many webhooks in progress; retry shortly\n");
            return;
        }
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new ReleaseOnCompletion(pool));
            }
        } finally {
            if (!async) {
                pool.release();
            }
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        // the async dispatch is the same request finishing: its permit is already held
        return true;
    }

    int available(boolean portOut) {
        return (portOut ? portOuts : notifications).availablePermits();
    }

    private static final class ReleaseOnCompletion implements AsyncListener {

        private final Semaphore pool;
        private boolean released;

        ReleaseOnCompletion(Semaphore pool) {
            this.pool = pool;
        }

        private synchronized void release() {
            if (!released) {
                released = true;
                pool.release();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
