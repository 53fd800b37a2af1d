package com.numbersrouter.ingress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The body buffer's bounds, without a server: the memory all bodies hold together, and the time one body may take.
 * {@code HostileInputEndToEndTest} and {@code IngressSecurityEndToEndTest} drive the same over real sockets.
 */
class WebhookBodyBufferTest {

    private static final int MAX_BODY = 64 * 1024;
    /** The first 16 KB of every body are not counted against the body memory. */
    private static final int FREE = 16 * 1024;
    private static final byte[] FAIL_MODE_ANSWER = "<fail-mode/>".getBytes(StandardCharsets.UTF_8);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong undecided = new AtomicLong();
    private final WebhookBodyBuffer buffer = new WebhookBodyBuffer(MAX_BODY, 59_000, Duration.ofSeconds(10),
            new PortOutRefusals(FAIL_MODE_ANSWER, "<invalid/>".getBytes(StandardCharsets.UTF_8), reason -> undecided.incrementAndGet()),
            meters, clock::get);

    @Test
    void aBodyHoldsItsBytesWhileItsRequestRunsAndGivesThemBackAfter() throws Exception {
        AtomicLong heldDuring = new AtomicLong(-1);
        AtomicReference<Object> seen = new AtomicReference<>();

        MockHttpServletResponse response = run(post("/webhooks/bandwidth", bytes(60_000)), (request, r) -> {
            heldDuring.set((long) bodyMemory());
            seen.set(request.getAttribute(WebhookBodyBuffer.RAW_BODY));
        });

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(heldDuring.get()).isEqualTo(60_000L - FREE);
        assertThat((byte[]) seen.get()).isEqualTo(bytes(60_000));
        assertThat(bodyMemory()).isZero();
    }

    @Test
    void aBodyBeyondTheMemoryLeftGets503WhileSmallerOnesStillFit() throws Exception {
        CountingStream second = new CountingStream(bytes(60_000));
        AtomicReference<MockHttpServletResponse> refused = new AtomicReference<>();
        AtomicReference<MockHttpServletResponse> fitting = new AtomicReference<>();
        AtomicReference<MockHttpServletResponse> small = new AtomicReference<>();

        // The others arrive while the first holds 60,000 - 16 KB of the 59,000 bytes of body memory.
        run(post("/webhooks/bandwidth", bytes(60_000)), (request, r) -> {
            refused.set(run(post("/webhooks/bandwidth", second, 60_000), (inner, ir) -> { }));
            fitting.set(run(post("/webhooks/bandwidth", bytes(30_000)), (inner, ir) -> { }));
            // a webhook of Bandwidth's few KB: within its free first chunk, never refused for memory
            small.set(run(post("/webhooks/bandwidth", bytes(4_000)), (inner, ir) -> { }));
        });

        assertThat(refused.get().getStatus()).isEqualTo(503);
        assertThat(refused.get().getHeader("Retry-After")).isEqualTo("5");
        assertThat(refused.get().getHeader("Connection")).isEqualTo("close");
        assertThat(second.read).as("read no further than its free first chunk").isEqualTo(FREE);
        assertThat(fitting.get().getStatus()).isEqualTo(200);
        assertThat(small.get().getStatus()).isEqualTo(200);
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "body-memory").count()).isEqualTo(1);
        assertThat(bodyMemory()).isZero();
    }

    @Test
    void aPortOutBeyondTheMemoryLeftGetsTheFailModesAnswerNot503() throws Exception {
        AtomicReference<MockHttpServletResponse> refused = new AtomicReference<>();

        run(post("/webhooks/bandwidth", bytes(60_000)), (request, r) ->
                refused.set(run(post(IntakeAdmission.PORT_OUT_PATH, bytes(60_000)), (inner, ir) -> { })));

        assertThat(refused.get().getStatus()).isEqualTo(200);
        assertThat(refused.get().getContentAsByteArray()).isEqualTo(FAIL_MODE_ANSWER);
        // counted with the port-outs the fail mode answered, not with the notifications lost at this bound
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "portout").count()).isEqualTo(1);
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "body-memory").count()).isZero();
        assertThat(undecided).hasValue(1);
    }

    /** A chunked body is read without a thread from its start: Tomcat cannot say beforehand whether a read waits. */
    @Test
    void aChunkedBodyGrowsAsItArrivesAndIsKeptByteForByte() throws Exception {
        byte[] body = bytes(50_000);
        ArrivingBody arriving = new ArrivingBody();
        MockHttpServletRequest request = arriving.request("/webhooks/bandwidth", -1);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<Object> seen = new AtomicReference<>();
        FilterChain chain = (req, res) -> seen.set(req.getAttribute(WebhookBodyBuffer.RAW_BODY));

        buffer.doFilter(request, response, chain);
        arriving.arrive(Arrays.copyOf(body, 20_000));
        arriving.arrive(Arrays.copyOfRange(body, 20_000, 50_000));
        arriving.end();
        // 16 KB doubled twice: what the array holds beyond its free first chunk, not more than twice the body
        assertThat(bodyMemory()).isEqualTo(64L * 1024 - FREE);
        request.setDispatcherType(DispatcherType.ASYNC);
        buffer.doFilter(request, response, chain);
        request.getAsyncContext().complete();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat((byte[]) seen.get()).isEqualTo(body);
        assertThat(bodyMemory()).isZero();
    }

    /** A client that declares a large body and sends nothing must not hold the memory it declared. */
    @Test
    void aDeclaredLengthIsNotHeldBeforeItsBytesArrive() throws Exception {
        AtomicLong heldDuring = new AtomicLong(-1);
        CountingStream fewBytes = new CountingStream(bytes(1_000));

        run(post("/webhooks/bandwidth", fewBytes, 60_000), (request, r) -> heldDuring.set((long) bodyMemory()));

        assertThat(heldDuring.get()).as("1,000 bytes arrived of 60,000 declared: within the free chunk").isZero();
    }

    @Test
    void aChunkedBodyPastTheLimitGets413AndIsCounted() throws Exception {
        ArrivingBody arriving = new ArrivingBody();
        MockHttpServletRequest request = arriving.request("/webhooks/bandwidth", -1);
        MockHttpServletResponse response = new MockHttpServletResponse();

        buffer.doFilter(request, response, (req, res) -> { throw new AssertionError("refused"); });
        arriving.arrive(bytes(200_000));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(arriving.read()).as("read up to one byte past the limit, no further").isEqualTo(MAX_BODY + 1);
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "oversize").count())
                .isEqualTo(1);
        assertThat(bodyMemory()).isZero();
    }

    @Test
    void aBodyDribbledPastTheReadTimeoutGets408() throws Exception {
        // Each byte arrives 4 s after the last: no single read is slow, the body as a whole is.
        InputStream dribble = new CountingStream(bytes(1_000)) {
            @Override
            public int read(byte[] b, int off, int len) {
                clock.addAndGet(TimeUnit.SECONDS.toNanos(4));
                return super.read(b, off, Math.min(len, 1));
            }
        };

        MockHttpServletResponse response = run(post("/webhooks/bandwidth", dribble, 1_000), (request, r) -> { });

        assertThat(response.getStatus()).isEqualTo(408);
        assertThat(response.getHeader("Connection")).isEqualTo("close");
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "too-slow").count())
                .isEqualTo(1);
        assertThat(bodyMemory()).isZero();
    }

    /**
     * Posted to the generic URL, a port-out is told by its first bytes: refused as too large, too slow or beyond the
     * memory, it gets a Portable=false answer there too, never the 4xx or 5xx that would approve it.
     */
    @Test
    void aPortOutOnTheGenericUrlIsNeverRefusedWithA4xxOr5xx() throws Exception {
        byte[] portOut = ("<?xml version=\"1.0\"?><PortOutValidationRequest><PON>P-1</PON>" + "x".repeat(200_000))
                .getBytes(StandardCharsets.UTF_8);
        InputStream dribble = new CountingStream(portOut) {
            @Override
            public int read(byte[] b, int off, int len) {
                clock.addAndGet(TimeUnit.SECONDS.toNanos(4));
                return super.read(b, off, Math.min(len, 100));
            }
        };
        AtomicReference<MockHttpServletResponse> noMemory = new AtomicReference<>();

        ArrivingBody chunked = new ArrivingBody();
        MockHttpServletResponse oversize = new MockHttpServletResponse();
        buffer.doFilter(chunked.request("/webhooks/bandwidth", -1), oversize, (r, s) -> { });
        chunked.arrive(portOut);
        MockHttpServletResponse tooSlow = run(post("/webhooks/bandwidth", dribble, 1_000), (r, s) -> { });
        run(post("/webhooks/bandwidth", bytes(60_000)), (request, r) -> noMemory.set(
                run(post("/webhooks/bandwidth", Arrays.copyOf(portOut, 60_000)), (inner, ir) -> { })));

        assertThat(oversize.getStatus()).isEqualTo(200);
        assertThat(oversize.getContentAsString()).isEqualTo("<invalid/>");
        assertThat(tooSlow.getStatus()).isEqualTo(200);
        assertThat(tooSlow.getContentAsByteArray()).isEqualTo(FAIL_MODE_ANSWER);
        assertThat(noMemory.get().getStatus()).isEqualTo(200);
        assertThat(noMemory.get().getContentAsByteArray()).isEqualTo(FAIL_MODE_ANSWER);
        assertThat(undecided).as("the too slow and the one without memory, not the invalid one").hasValue(2);
        MockHttpServletResponse order = run(post("/webhooks/bandwidth", bytes(200_000)), (r, s) -> { });
        assertThat(order.getStatus()).as("anything else keeps its status").isEqualTo(413);
    }

    /**
     * A body not yet arrived is not waited for on the servlet thread: the thread is given back, the bytes are read as
     * they come, and the request is dispatched again to run with the whole body, holding its memory until it is done.
     */
    @Test
    void aBodyStillArrivingIsReadWithoutAThreadAndRunsOnTheDispatchAfterIt() throws Exception {
        ArrivingBody arriving = new ArrivingBody();
        MockHttpServletRequest request = arriving.request("/webhooks/bandwidth", 40_000);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<byte[]> ran = new AtomicReference<>();
        FilterChain chain = (req, res) -> ran.set(req.getInputStream().readAllBytes());

        buffer.doFilter(request, response, chain);
        assertThat(ran).as("nothing has arrived: the thread is given back at once").hasValue(null);
        assertThat(request.isAsyncStarted()).isTrue();

        arriving.arrive(bytes(30_000));
        arriving.arrive(bytes(10_000));
        arriving.end();
        assertThat(((MockAsyncContext) request.getAsyncContext()).getDispatchedPath())
                .as("dispatched again once whole").isEqualTo("/webhooks/bandwidth");
        assertThat(bodyMemory()).as("held from the first growth on").isEqualTo(40_000L - FREE);

        request.setDispatcherType(DispatcherType.ASYNC);
        buffer.doFilter(request, response, chain);
        assertThat(ran.get()).isEqualTo(bytes(40_000));
        assertThat((byte[]) request.getAttribute(WebhookBodyBuffer.RAW_BODY)).isEqualTo(bytes(40_000));
        request.getAsyncContext().complete();
        assertThat(bodyMemory()).isZero();
    }

    /**
     * Read without a thread, a body still incomplete at the read deadline gets 408, and a port-out the fail mode's
     * answer (a 4xx would approve it); one that passes the limit gets 413 as soon as it does.
     */
    @Test
    void aBodyReadWithoutAThreadIsStillBoundByTheDeadlineAndTheLimit() throws Exception {
        ArrivingBody slowOrder = new ArrivingBody();
        MockHttpServletRequest order = slowOrder.request("/webhooks/bandwidth", 1_000);
        MockHttpServletResponse orderAnswer = neverWhole(order);
        slowOrder.arrive(bytes(100));
        timeOut(order);

        MockHttpServletRequest portOut = new ArrivingBody().request(IntakeAdmission.PORT_OUT_PATH, 1_000);
        MockHttpServletResponse portOutAnswer = neverWhole(portOut);
        timeOut(portOut);

        ArrivingBody endless = new ArrivingBody();
        MockHttpServletRequest chunked = endless.request("/webhooks/bandwidth", -1);
        MockHttpServletResponse chunkedAnswer = neverWhole(chunked);
        endless.arrive(bytes(MAX_BODY));
        endless.arrive(bytes(1_000));

        assertThat(orderAnswer.getStatus()).isEqualTo(408);
        assertThat(orderAnswer.getHeader("Connection")).isEqualTo("close");
        assertThat(portOutAnswer.getStatus()).isEqualTo(200);
        assertThat(portOutAnswer.getContentAsByteArray()).isEqualTo(FAIL_MODE_ANSWER);
        assertThat(chunkedAnswer.getStatus()).isEqualTo(413);
        assertThat(List.of(order, portOut, chunked)).as("each answered and completed")
                .noneMatch(MockHttpServletRequest::isAsyncStarted);
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "too-slow").count())
                .as("the order and the port-out").isEqualTo(2);
        assertThat(bodyMemory()).isZero();
    }

    /**
     * Should platform-http answer asynchronously on the dispatch after the read, the body stays held until that
     * request completes (the container hands the read's listener to the new async cycle, which must keep it).
     */
    @Test
    void aBodyReadWithoutAThreadIsHeldUntilAnAsynchronousAnswerCompletes() throws Exception {
        ArrivingBody arriving = new ArrivingBody();
        MockHttpServletRequest request = arriving.request("/webhooks/bandwidth", 40_000);
        MockHttpServletResponse response = new MockHttpServletResponse();
        buffer.doFilter(request, response, (req, res) -> { });
        arriving.arrive(bytes(40_000));
        arriving.end();
        MockAsyncContext read = (MockAsyncContext) request.getAsyncContext();

        request.setDispatcherType(DispatcherType.ASYNC);
        buffer.doFilter(request, response, (req, res) -> req.startAsync());
        MockAsyncContext answering = (MockAsyncContext) request.getAsyncContext();
        for (AsyncListener listener : read.getListeners()) {
            // as Tomcat does at a startAsync during the dispatch: the read's cycle ends without onComplete, its
            // listeners are told of the new cycle and may add themselves to it
            listener.onStartAsync(new AsyncEvent(answering, request, response));
        }
        assertThat(bodyMemory()).as("still held while the answer is pending").isEqualTo(40_000L - FREE);

        answering.complete();
        assertThat(bodyMemory()).isZero();
    }

    /** Runs the filter on a request whose body the test never completes: the chain must not run. */
    private MockHttpServletResponse neverWhole(MockHttpServletRequest request) throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        buffer.doFilter(request, response, (req, res) -> { throw new AssertionError("never whole"); });
        return response;
    }

    /** The asynchronous request's timeout, as the container fires it. */
    private static void timeOut(MockHttpServletRequest request) throws IOException {
        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        for (AsyncListener listener : async.getListeners()) {
            listener.onTimeout(new AsyncEvent(async, request, async.getResponse()));
        }
    }

    /** A body whose bytes arrive when the test says, read through the servlet API's non-blocking reads. */
    private static final class ArrivingBody {

        private final java.io.ByteArrayOutputStream queued = new java.io.ByteArrayOutputStream();
        private int read;
        private ByteArrayInputStream readable = new ByteArrayInputStream(new byte[0]);
        private boolean ended;
        private ReadListener listener;

        MockHttpServletRequest request(String path, long contentLength) {
            MockHttpServletRequest request = posting(path, contentLength, this::stream);
            request.setAsyncSupported(true);
            return request;
        }

        void arrive(byte[] bytes) throws IOException {
            queued.write(bytes);
            readable = new ByteArrayInputStream(queued.toByteArray());
            listener.onDataAvailable();
        }

        /** How many bytes the filter has read of it. */
        int read() {
            return read;
        }

        void end() throws IOException {
            ended = true;
            listener.onAllDataRead();
        }

        private ServletInputStream stream() {
            return new ServletInputStream() {
                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    int n = readable.read(b, off, len);
                    if (n > 0) {
                        read += n;
                        byte[] rest = queued.toByteArray();
                        queued.reset();
                        queued.write(rest, n, rest.length - n);
                        readable = new ByteArrayInputStream(queued.toByteArray());
                    }
                    return n < 0 ? (ended ? -1 : 0) : n;
                }

                @Override
                public int available() {
                    return readable.available();
                }

                @Override
                public boolean isFinished() {
                    return ended && readable.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return readable.available() > 0 || ended;
                }

                @Override
                public void setReadListener(ReadListener readListener) {
                    listener = readListener;
                }
            };
        }
    }

    @Test
    void theBytesAreGivenBackWhenTheRequestFails() {
        assertThatThrownBy(() -> run(post("/webhooks/bandwidth", bytes(60_000)), (request, r) -> {
            throw new ServletException("a route failed");
        })).isInstanceOf(ServletException.class);

        assertThat(bodyMemory()).isZero();
    }

    @Test
    void aNodeWhoseBodyMemoryCannotHoldOneLargestBodyDoesNotStart() {
        assertThatThrownBy(() -> new WebhookProperties("bw", java.util.Map.of(),
                org.springframework.util.unit.DataSize.ofMegabytes(1), org.springframework.util.unit.DataSize.ofKilobytes(512),
                Duration.ofSeconds(10), 200, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body-memory").hasMessageContaining("max-body-size");
    }

    private double bodyMemory() {
        return meters.get("numbers.router.webhook.body.memory").gauge().value();
    }

    private MockHttpServletResponse run(HttpServletRequest request, FilterChain chain) throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        buffer.doFilter(request, response, chain);
        return response;
    }

    private static MockHttpServletRequest post(String path, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setContent(body);
        return request;
    }

    /** @param contentLength -1: chunked, no length declared */
    private static HttpServletRequest post(String path, InputStream body, long contentLength) {
        return posting(path, contentLength, () -> new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return body.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return body.read(b, off, len);
            }

            /** All of the body has arrived: a read never waits. */
            @Override
            public int available() throws IOException {
                return body.available();
            }

            @Override
            public boolean isFinished() {
                try {
                    return body.available() == 0;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the whole body has arrived: it is read at once");
            }
        });
    }

    /** A POST declaring {@code contentLength} (-1: chunked) whose body is read through {@code stream}. */
    private static MockHttpServletRequest posting(String path, long contentLength,
            java.util.function.Supplier<ServletInputStream> stream) {
        return new MockHttpServletRequest("POST", path) {
            @Override
            public long getContentLengthLong() {
                return contentLength;
            }

            @Override
            public ServletInputStream getInputStream() {
                return stream.get();
            }
        };
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    /** Counts what the filter reads of it. */
    private static class CountingStream extends ByteArrayInputStream {

        int read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
