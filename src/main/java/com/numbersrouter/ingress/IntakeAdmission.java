package com.numbersrouter.ingress;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the webhooks in progress, so a flood is shed with {@code 503} + {@code Retry-After} instead of queueing
 * without limit until the node falls over. Port-out validations draw on a reserved pool: Bandwidth approves a
 * port-out it gets no answer for, so they must still be answered while notifications flood in. A request is a
 * port-out if posted to {@code /webhooks/bandwidth/portout-validation} or if its body (already buffered by
 * {@link WebhookBodyBuffer}) starts with a {@code <PortOutValidationRequest>} root: a cheap peek for choosing the
 * pool only; the classifier still decides the type. The bounds are sized far above
 * realistic Bandwidth bursts; reaching one is counted ({@code numbers_router_webhooks_shed_total}).
 *
 * <p>A port-out may also take a free notification place. When none is left either it is not refused with 503,
 * which Bandwidth would take as approval, but answered 200 with the fail mode's {@code Portable=false}
 * ({@link PortOutRefusals}).
 *
 * <p>A permit is taken once the body is read: on the request's first dispatch, or, for a body that arrived slowly
 * and was read without a thread, on the dispatch after it ({@link WebhookBodyBuffer}); a client dribbling its body
 * holds none. A webhook then runs and is answered on that thread ({@link SameThreadExchanges}), and its permit is
 * released when this filter returns. Should platform-http complete a request asynchronously instead, the permit is
 * released when the async request completes.
 */
public class IntakeAdmission extends OncePerRequestFilter {

    static final String PORT_OUT_PATH = "/webhooks/bandwidth/portout-validation";
    /** Set on a request once it holds a permit, for the asynchronous dispatches that finish it. */
    private static final String ADMITTED = IntakeAdmission.class.getName() + ".admitted";

    private final Semaphore notifications;
    private final Semaphore portOuts;
    private final Counter shedNotifications;
    private final Counter shedPortOuts;
    private final PortOutRefusals refusals;

    public IntakeAdmission(int maxInFlight, int reservedForPortOut, MeterRegistry meters) {
        this(maxInFlight, reservedForPortOut, meters, PortOutRefusals.NONE);
    }

    public IntakeAdmission(int maxInFlight, int reservedForPortOut, MeterRegistry meters, PortOutRefusals refusals) {
        this.refusals = refusals;
        this.notifications = new Semaphore(maxInFlight);
        this.portOuts = new Semaphore(reservedForPortOut);
        this.shedNotifications = shed(meters, "notifications");
        this.shedPortOuts = shed(meters, "portout");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(ADMITTED) != null) {
            // platform-http answering asynchronously: the same request finishing, its permit already held
            chain.doFilter(request, response);
            return;
        }
        boolean portOut = isPortOut(request);
        Semaphore pool = portOut ? portOuts : notifications;
        if (!pool.tryAcquire()) {
            pool = null;
            if (portOut && notifications.tryAcquire()) {
                pool = notifications;
            }
        }
        if (pool == null) {
            (portOut ? shedPortOuts : shedNotifications).increment();
            if (portOut && refusals.overloaded() != null) {
                refusals.answerUndecided(response, "at the in-flight bound (numbers-router.webhook.max-in-flight"
                        + " + reserved-for-port-out)", rawBody(request), request.getHeader("Authorization"));
                return;
            }
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Too many webhooks in progress; retry shortly\n");
            return;
        }
        request.setAttribute(ADMITTED, Boolean.TRUE);
        ReleaseOnAsyncCompletion.chainThenRelease(chain, request, response, pool::release);
    }

    /** Whether a webhook is a port-out validation: by its path, or by its body's root element (read before auth). */
    public static boolean isPortOut(HttpServletRequest request) {
        return PORT_OUT_PATH.equals(request.getRequestURI()) || looksLikePortOut(request);
    }

    /**
     * The root element's name, and the characters that may come just before it ({@code <}, or the {@code :} of a
     * prefix), in the encodings an XML body may come in (the classifier reads UTF-16 too).
     */
    private record RootMarker(byte[] name, byte[] open, byte[] prefixed) {
        static RootMarker in(Charset encoding) {
            return new RootMarker("PortOutValidationRequest".getBytes(encoding), "<".getBytes(encoding),
                    ":".getBytes(encoding));
        }
    }

    private static final List<RootMarker> PORT_OUT_ROOTS = List.of(RootMarker.in(StandardCharsets.US_ASCII),
            RootMarker.in(StandardCharsets.UTF_16BE), RootMarker.in(StandardCharsets.UTF_16LE));
    private static final int PEEK = 512;

    /** The body as {@link WebhookBodyBuffer} read it whole, or null. */
    public static byte[] rawBody(HttpServletRequest request) {
        return request.getAttribute(WebhookBodyBuffer.RAW_BODY) instanceof byte[] body ? body : null;
    }

    static boolean looksLikePortOut(HttpServletRequest request) {
        return request.getAttribute(WebhookBodyBuffer.RAW_BODY) instanceof byte[] body && looksLikePortOut(body);
    }

    /**
     * Whether the body's first bytes name Bandwidth's port-out root element, prefixed or not (no parse: this runs
     * before auth).
     */
    static boolean looksLikePortOut(byte[] body) {
        for (RootMarker marker : PORT_OUT_ROOTS) {
            byte[] root = marker.name();
            int before = marker.open().length;
            int end = Math.min(body.length, PEEK) - root.length;
            for (int i = before; i <= end; i++) {
                if (Arrays.equals(body, i, i + root.length, root, 0, root.length)
                        && (Arrays.equals(body, i - before, i, marker.open(), 0, before)
                                || Arrays.equals(body, i - before, i, marker.prefixed(), 0, before))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        // a body read without a thread (WebhookBodyBuffer) reaches this filter on an asynchronous dispatch
        return false;
    }

    /**
     * Each admitted webhook holds a Tomcat thread until it is answered ({@link SameThreadExchanges}). With no thread
     * to spare, a webhook beyond the bound waits for one instead of getting its 503, and a port-out cannot reach its
     * reserved share: that is worth a warning at start-up.
     */
    static String threadShortfall(int tomcatThreads, int maxInFlight, int reservedForPortOut) {
        int admitted = maxInFlight + reservedForPortOut;
        if (tomcatThreads > admitted) {
            return null;
        }
        return "server.tomcat.threads.max (" + tomcatThreads + ") does not exceed the webhooks admitted at once ("
                + maxInFlight + " + " + reservedForPortOut + " for port-outs): webhooks beyond the bound will wait for a"
                + " thread instead of getting 503, and port-outs may not get their reserved share. Raise it above "
                + admitted + ".";
    }

    /** numbers_router_webhooks_shed_total{pool}: refused at one of the node's bounds (here, and for body memory). */
    static Counter shed(MeterRegistry meters, String pool) {
        return Counter.builder("numbers.router.webhooks.shed").tag("pool", pool)
                .description("Webhooks refused at a bound: 503, or for a port-out the fail mode's answer").register(meters);
    }

    int available(boolean portOut) {
        return (portOut ? portOuts : notifications).availablePermits();
    }
}
