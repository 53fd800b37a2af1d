package com.numbersrouter.ingress;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.numbersrouter.operations.WebhookOutcomes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads each webhook body here, on the servlet thread, bounded, before Camel sees the request:
 * <ul>
 * <li>platform-http would read any size into memory: a declared {@code Content-Length} over the limit is refused
 * with 413 unread, and a chunked body as soon as it passes the limit;</li>
 * <li>the bodies being held at once are bounded too ({@link BodyMemory}), as they are read before their credentials
 * are checked: beyond that bound a request is answered 503 + {@code Retry-After} unread;</li>
 * <li>platform-http decodes bodies as text with the request's charset, which fails on invalid bytes and mangles
 * other encodings: the exact bytes are kept as the request attribute {@link #RAW_BODY}, and the classifier parses
 * those (XML declares its own encoding);</li>
 * <li>a form content type would make the container consume the body as parameters: it never sees it;</li>
 * <li>a body is read on the servlet thread only as far as it has already arrived (all of it, for a webhook sent
 * in one piece, as Bandwidth's small ones are); for the rest the thread is given back, and the body is read as its
 * bytes come (the servlet API's non-blocking reads), then the request is dispatched again to run with it. So a
 * client that stalls or dribbles its body holds no thread, only its bytes (body memory) and its connection
 * ({@code server.tomcat.max-connections}): slow uploads cannot starve the webhooks that are sent at once. A body
 * still incomplete after {@code body-read-timeout} gets 408; one whose client stops sending for
 * {@code server.tomcat.connection-timeout} is dropped.</li>
 * </ul>
 * A port-out posted to the port-out URL is never refused with a 4xx or 5xx, which Bandwidth takes as approval
 * ({@link PortOutRefusals}).
 */
public class WebhookBodyBuffer extends OncePerRequestFilter {

    /** The request body exactly as received, as {@code byte[]}. */
    public static final String RAW_BODY = WebhookBodyBuffer.class.getName() + ".raw";
    /** Set on a request whose body was read without a thread, for the dispatch that then runs it. */
    private static final String READ_WITHOUT_THREAD = WebhookBodyBuffer.class.getName() + ".readWithoutThread";

    /** What every body is first given, outside the body memory; it doubles as it fills. */
    private static final int FIRST_CHUNK = 16 * 1024;
    /** How much of a refused body is looked at for a port-out's root element. */
    private static final int HEAD = 512;

    private final long maxBytes;
    private final BodyMemory memory;
    private final long readTimeoutNanos;
    private final PortOutRefusals refusals;
    private final MeterRegistry meters;
    private final Counter shed;
    private final Counter shedPortOuts;
    private final LongSupplier nanoTime;

    /**
     * @param memoryBytes bytes of bodies held at once, by every request together
     * @param readTimeout the longest a whole body may take to arrive
     * @param refusals what a port-out posted to the port-out URL gets instead of 413, 503 or 408
     */
    public WebhookBodyBuffer(long maxBytes, long memoryBytes, Duration readTimeout, PortOutRefusals refusals,
            MeterRegistry meters) {
        this(maxBytes, memoryBytes, readTimeout, refusals, meters, System::nanoTime);
    }

    /** @param nanoTime the clock the read timeout is measured with; tests pass their own */
    WebhookBodyBuffer(long maxBytes, long memoryBytes, Duration readTimeout, PortOutRefusals refusals,
            MeterRegistry meters, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.maxBytes = maxBytes;
        this.memory = new BodyMemory(memoryBytes);
        this.readTimeoutNanos = readTimeout.toNanos();
        this.refusals = refusals;
        this.meters = meters;
        this.shed = IntakeAdmission.shed(meters, "body-memory");
        this.shedPortOuts = IntakeAdmission.shed(meters, "portout");
        Gauge.builder("numbers.router.webhook.body.memory", memory, BodyMemory::used).baseUnit("bytes")
                .description("Bytes of webhook bodies held in memory now").register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            // the dispatch that runs a body read without a thread; any other (platform-http answering
            // asynchronously) is the same request finishing, its body handed on already
            if (request.getAttribute(READ_WITHOUT_THREAD) != null && request.getAttribute(RAW_BODY) instanceof byte[] body) {
                request.removeAttribute(READ_WITHOUT_THREAD);
                chain.doFilter(new BufferedBodyRequest(request, body), response);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        long started = nanoTime.getAsLong();
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(Refusal.OVERSIZE, request, response, started, null);
            return;
        }
        BodyRead read = new BodyRead(declared, started);
        ServletInputStream in = request.getInputStream();
        try {
            if (!read.readArrived(in, declared >= 0 ? () -> arrived(in) : in::isFinished)) {
                readWithoutThread(request, response, in, read);
                return;
            }
            byte[] body = read.body();
            request.setAttribute(RAW_BODY, body);
            ReleaseOnAsyncCompletion.chainThenRelease(chain, new BufferedBodyRequest(request, body), response,
                    read.held::release);
        } catch (RefusedBody refused) {
            read.held.release();
            refuse(refused.refusal, request, response, started, refused.head);
        } catch (IOException | RuntimeException e) {
            read.held.release();
            throw e;
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    /**
     * Whether a read now would return at once: bytes the container holds already, or the body's end. Not for a
     * chunked body: before its first read Tomcat counts the chunk's framing as bytes to read, and the read would then
     * wait for the chunk's data; a chunked body is read without a thread from its start.
     */
    private static boolean arrived(ServletInputStream in) throws IOException {
        return in.available() > 0 || in.isFinished();
    }

    /**
     * Gives the servlet thread back and reads the rest of the body as it comes; once it is whole the request is
     * dispatched again ({@link #doFilterInternal}, asynchronous dispatch) and runs on with it. The body-read deadline
     * is the asynchronous request's timeout.
     */
    private void readWithoutThread(HttpServletRequest request, HttpServletResponse response, ServletInputStream in,
            BodyRead read) {
        AsyncContext async = request.startAsync();
        long left = TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos - (nanoTime.getAsLong() - read.started));
        async.setTimeout(Math.max(1, left));
        ArrivingBody arriving = new ArrivingBody(request, response, in, read, async);
        async.addListener(arriving);
        in.setReadListener(arriving);
    }

    /** The rest of one body, read as the container says its bytes have come; whichever event ends it acts once. */
    private final class ArrivingBody implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final ServletInputStream in;
        private final BodyRead read;
        private final AsyncContext async;

        ArrivingBody(HttpServletRequest request, HttpServletResponse response, ServletInputStream in, BodyRead read,
                AsyncContext async) {
            this.request = request;
            this.response = response;
            this.in = in;
            this.read = read;
            this.async = async;
        }

        @Override
        public void onDataAvailable() throws IOException {
            try {
                if (read.readArrived(in, in::isReady)) {
                    // one byte past the limit is refused now; a whole body runs at onAllDataRead
                    read.body();
                }
            } catch (RefusedBody refused) {
                answer(refused);
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            byte[] body;
            try {
                body = read.body();
            } catch (RefusedBody refused) {
                answer(refused);
                return;
            }
            if (read.end()) {
                request.setAttribute(RAW_BODY, body);
                request.setAttribute(READ_WITHOUT_THREAD, Boolean.TRUE);
                async.dispatch();
            }
        }

        /** The body-read deadline. */
        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            RefusedBody tooSlow = new RefusedBody(Refusal.TOO_SLOW);
            tooSlow.head = read.head();
            answer(tooSlow);
        }

        @Override
        public void onError(Throwable failure) {
            stopped(failure);
        }

        @Override
        public void onError(AsyncEvent event) {
            stopped(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            read.held.release();
        }

        /** platform-http answering asynchronously on the dispatch after the read: the body is held until then. */
        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }

        private void answer(RefusedBody refused) throws IOException {
            if (read.end()) {
                read.held.release();
                refuse(refused.refusal, request, response, read.started, refused.head);
                async.complete();
            }
        }

        /**
         * The client stopped sending for {@code server.tomcat.connection-timeout}, or went away. Unanswered here, the
         * container would answer 500, which would approve a port-out: it gets the answer of a body too slow in all
         * (408; a port-out, the fail mode's), sent before the container closes the connection.
         */
        private void stopped(Throwable failure) {
            if (!read.end()) {
                return;
            }
            read.held.release();
            if (failure instanceof SocketTimeoutException) {
                try {
                    refuse(Refusal.TOO_SLOW, request, response, read.started, read.head());
                    response.flushBuffer();
                } catch (IOException | RuntimeException gone) {
                    // the connection is gone too: nobody to answer
                }
            }
            async.complete();
        }
    }

    /** @param head the body's first bytes, when any were read */
    private void refuse(Refusal refusal, HttpServletRequest request, HttpServletResponse response, long started,
            byte[] head) throws IOException {
        // The rest of the body is not read: the connection is closed (server.tomcat.max-swallow-size=0), so a client
        // still sending may see a reset instead of this answer. A body of up to 16 KB is never refused for memory.
        response.setHeader("Connection", "close");
        byte[] portOutAnswer = refusal == Refusal.OVERSIZE ? refusals.invalidRequest() : refusals.overloaded();
        boolean portOut = IntakeAdmission.PORT_OUT_PATH.equals(request.getRequestURI())
                || head != null && IntakeAdmission.looksLikePortOut(head);
        boolean answeredAsPortOut = portOut && portOutAnswer != null;
        if (refusal == Refusal.NO_MEMORY) {
            // a notification refused here is lost; a port-out gets the fail mode's answer: counted in the pool of
            // its kind, so that an alert on lost notifications does not fire for it
            (answeredAsPortOut ? shedPortOuts : shed).increment();
        } else {
            WebhookOutcomes.record(meters, "unknown", refusal.outcome, null,
                    TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - started));
        }
        if (answeredAsPortOut) {
            // a 4xx or 5xx would approve the port-out: an oversized one is invalid (7598), one that cannot be read
            // now gets the fail mode's answer
            if (refusal == Refusal.OVERSIZE) {
                refusals.answerInvalid(response, "its body over numbers-router.webhook.max-body-size",
                        request.getHeader("Authorization"));
            } else {
                refusals.answerUndecided(response, refusal == Refusal.NO_MEMORY
                        ? "without body memory (numbers-router.webhook.body-memory)"
                        : "its body too slow (numbers-router.webhook.body-read-timeout)", null,
                        request.getHeader("Authorization"));
            }
            return;
        }
        response.setStatus(refusal.status);
        if (refusal == Refusal.NO_MEMORY) {
            response.setHeader("Retry-After", "5");
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(refusal == Refusal.OVERSIZE
                ? "Request body is larger than " + maxBytes + " bytes\n" : refusal.message);
    }

    private enum Refusal {
        OVERSIZE(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "oversize", null),
        NO_MEMORY(HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, "Too many webhook bodies in progress; retry shortly\n"),
        TOO_SLOW(HttpServletResponse.SC_REQUEST_TIMEOUT, "too-slow", "Request body took too long to arrive\n");

        final int status;
        final String outcome;
        final String message;

        Refusal(int status, String outcome, String message) {
            this.status = status;
            this.outcome = outcome;
            this.message = message;
        }
    }

    /** Control flow, not an error: no stack trace. */
    private static final class RefusedBody extends Exception {

        final Refusal refusal;
        /** The body's first bytes, set by the read that refused it. */
        byte[] head;

        RefusedBody(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * One body being read: on the servlet thread as far as it has arrived, then, should it be incomplete, as its
     * bytes come. Into an array that grows as the bytes arrive, up to the declared length (so a client that declares
     * a large body and sends nothing holds little), and up to one byte past the limit. The first
     * {@value #FIRST_CHUNK} bytes of every body are not counted against the body memory: at most one such chunk per
     * connection ({@code server.tomcat.max-connections}), so a body of up to 16 KB, as most of Bandwidth's are, is
     * never refused for memory, however many stalled uploads hold the rest (a bulk order's completion listing
     * thousands of numbers draws on the body memory). Each growth beyond it is reserved first.
     */
    private final class BodyRead {

        final HeldBytes held = new HeldBytes();
        final long started;
        private final int most;
        private byte[] buffer;
        private int length;
        private boolean ended;

        BodyRead(long declared, long started) {
            this.started = started;
            int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
            this.most = declared >= 0 ? (int) Math.min(declared, limit) : limit;
            this.buffer = new byte[Math.min(FIRST_CHUNK, most)];
        }

        /**
         * Reads while {@code more} says a read will not wait.
         *
         * @return whether the body is whole: its declared length, its end, or one byte past the limit
         */
        synchronized boolean readArrived(InputStream in, ReadyCheck more) throws IOException, RefusedBody {
            try {
                while (true) {
                    if (length == buffer.length) {
                        if (length == most) {
                            return true;
                        }
                        int grown = (int) Math.min(most, 2L * buffer.length);
                        held.grow(grown - buffer.length);
                        buffer = Arrays.copyOf(buffer, grown);
                    }
                    if (nanoTime.getAsLong() - started > readTimeoutNanos) {
                        throw new RefusedBody(Refusal.TOO_SLOW);
                    }
                    if (!more.ready()) {
                        return false;
                    }
                    int read = in.read(buffer, length, buffer.length - length);
                    if (read < 0) {
                        return true;
                    }
                    length += read;
                }
            } catch (RefusedBody refused) {
                refused.head = head();
                throw refused;
            }
        }

        /** The whole body as read; 413 if it passed the limit. */
        synchronized byte[] body() throws RefusedBody {
            if (length > maxBytes) {
                RefusedBody refused = new RefusedBody(Refusal.OVERSIZE);
                refused.head = head();
                throw refused;
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }

        /** What arrived of it: enough to tell a port-out on the generic URL, which a 4xx or 5xx would approve. */
        synchronized byte[] head() {
            return Arrays.copyOf(buffer, Math.min(length, HEAD));
        }

        /** @return whether this call ended the read: the one that answers or dispatches it, exactly once */
        synchronized boolean end() {
            boolean first = !ended;
            ended = true;
            return first;
        }
    }

    /** Whether a read would return now, without waiting for the client. */
    @FunctionalInterface
    private interface ReadyCheck {
        boolean ready() throws IOException;
    }

    /** The body memory one request holds, given back once when it is done. */
    private final class HeldBytes {

        private long bytes;

        /** @return {@code more}, now held */
        int grow(int more) throws RefusedBody {
            if (!memory.tryReserve(more)) {
                throw new RefusedBody(Refusal.NO_MEMORY);
            }
            bytes += more;
            return more;
        }

        synchronized void release() {
            memory.release(bytes);
            bytes = 0;
        }
    }

    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return body.length == 0 || in.markSupported() && available() == 0;
                }

                @Override
                public int available() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body is already buffered; read it synchronously");
                }
            };
        }

        /**
         * platform-http reads the body through this reader; ISO-8859-1 maps every byte to one char, so it can never
         * fail on bytes that are not valid in the declared charset. The classifier uses {@link #RAW_BODY} instead.
         */
        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.ISO_8859_1));
        }

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.ISO_8859_1.name();
        }
    }
}
