package com.numbersrouter.routes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.numbersrouter.ingress.PortOutRefusals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Unit test: webhooks are threads passing the filter, held inside it by a latch for as long as a test needs. */
class RouteSwapGateTest {

    private final AtomicInteger undecided = new AtomicInteger();
    private final PortOutRefusals failMode = new PortOutRefusals(
            "<PortOutValidationResponse>fail mode</PortOutValidationResponse>".getBytes(StandardCharsets.UTF_8), null,
            reason -> undecided.incrementAndGet());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final RouteSwapGate gate = new RouteSwapGate();
    private final CountDownLatch answer = new CountDownLatch(1);
    /** A thread each: webhooks and swaps block, and a common pool may have a single thread. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void routesLoaded() {
        gate.open();
    }

    @AfterEach
    void answerEveryWebhook() {
        answer.countDown();
        threads.shutdownNow();
    }

    @Test
    void aSwapWaitsForTheWebhooksInProgressAndNewOnesWaitForTheSwap() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> first = webhook(inside, answer);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        AtomicBoolean swapping = new AtomicBoolean();
        CountDownLatch finishSwap = new CountDownLatch(1);
        CompletableFuture<Boolean> swap = CompletableFuture.supplyAsync(() -> drained(Duration.ofSeconds(30), () -> {
            swapping.set(true);
            finishSwap.await();
        }), threads);
        await().atMost(5, TimeUnit.SECONDS).until(gate::swapWaiting);
        assertThat(swapping).as("swap started while a webhook was in progress").isFalse();

        answer.countDown();
        first.get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).untilTrue(swapping);

        CountDownLatch secondInside = new CountDownLatch(1);
        CompletableFuture<Void> second = webhook(secondInside, new CountDownLatch(0));
        await().atMost(5, TimeUnit.SECONDS).until(gate::webhooksWaiting);
        assertThat(secondInside.getCount()).as("webhook passed during the swap").isEqualTo(1);

        finishSwap.countDown();
        assertThat(swap.get(5, TimeUnit.SECONDS)).isTrue();
        second.get(5, TimeUnit.SECONDS);
        assertThat(secondInside.getCount()).isZero();
    }

    @Test
    void aWebhookThatIsNotAnsweredInTimeCallsTheSwapOffAndWebhooksGoOn() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        webhook(inside, answer);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean swapped = new AtomicBoolean();

        assertThat(gate.whenDrained(Duration.ofMillis(100), () -> swapped.set(true))).isFalse();

        assertThat(swapped).isFalse();
        CountDownLatch nextInside = new CountDownLatch(1);
        webhook(nextInside, new CountDownLatch(0)).get(5, TimeUnit.SECONDS);
        assertThat(nextInside.getCount()).isZero();
    }

    @Test
    void withNoWebhookInProgressTheSwapRunsAtOnce() throws Exception {
        AtomicBoolean swapped = new AtomicBoolean();

        assertThat(gate.whenDrained(Duration.ZERO, () -> swapped.set(true))).isTrue();

        assertThat(swapped).isTrue();
    }

    /** The web server takes webhooks a moment before the routes exist: they wait for the routes, not 404. */
    @Test
    void aWebhookThatComesBeforeTheRoutesAreLoadedWaitsForThem() throws Exception {
        RouteSwapGate starting = new RouteSwapGate(Duration.ofSeconds(30), Duration.ofSeconds(30), PortOutRefusals.NONE,
                meters);
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> early = HeldWebhook.pass(starting, inside, new CountDownLatch(0), threads);
        await().atMost(5, TimeUnit.SECONDS).until(() -> starting.webhooksWaitingForRoutes() == 1);
        assertThat(inside.getCount()).as("passed before the routes were loaded").isEqualTo(1);

        starting.open();

        early.get(5, TimeUnit.SECONDS);
        assertThat(inside.getCount()).isZero();
        assertThat(starting.webhooksWaitingForRoutes()).isZero();
    }

    @Test
    void routesThatNeverComeAreAnswered503NotPassedOn() throws Exception {
        RouteSwapGate failingStart = new RouteSwapGate(Duration.ofMillis(50), Duration.ofMillis(50), failMode, meters);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();

        failingStart.doFilter(new MockHttpServletRequest("POST", "/webhooks/bandwidth"), response,
                (request, answer) -> passed.set(true));

        assertThat(passed).isFalse();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).isEqualTo("The node is starting: no route is serving yet; retry later\n");
        // lost (Bandwidth does not retry it): counted where the alert on lost notifications looks
        assertThat(meters.get("numbers.router.webhooks").tag("type", "unknown").tag("outcome", "unavailable").counter()
                .count()).isEqualTo(1.0);
    }

    /** Bandwidth approves a port-out on any 4xx or 5xx: a port-out gets the fail mode's answer, with 200. */
    @Test
    void aPortOutThatRoutesNeverCameForGetsTheFailModesAnswer() throws Exception {
        RouteSwapGate failingStart = new RouteSwapGate(Duration.ofSeconds(30), Duration.ofMillis(50), failMode, meters);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();

        failingStart.doFilter(new MockHttpServletRequest("POST", "/webhooks/bandwidth/portout-validation"), response,
                (request, answer) -> passed.set(true));

        assertThat(passed).isFalse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("<PortOutValidationResponse>fail mode</PortOutValidationResponse>");
        assertThat(undecided).as("counted as a port-out answered without a decision").hasValue(1);
    }

    /**
     * A swap waiting for a webhook in progress is not passed by new ones: under steady traffic it would otherwise
     * never find the gate empty. The new one goes on once the swap is done.
     */
    @Test
    void aNewWebhookWaitsBehindASwapThatWaitsForTheOneInProgress() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> first = webhook(inside, answer);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean swapped = new AtomicBoolean();
        CompletableFuture<Boolean> swap = CompletableFuture.supplyAsync(
                () -> drained(Duration.ofSeconds(30), () -> swapped.set(true)), threads);
        await().atMost(5, TimeUnit.SECONDS).until(gate::swapWaiting);

        CountDownLatch nextInside = new CountDownLatch(1);
        CompletableFuture<Void> next = webhook(nextInside, new CountDownLatch(0));
        await().during(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> nextInside.getCount() == 1);

        answer.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertThat(swap.get(5, TimeUnit.SECONDS)).isTrue();
        next.get(5, TimeUnit.SECONDS);
        assertThat(swapped).isTrue();
        assertThat(nextInside.getCount()).isZero();
    }

    /**
     * A swap that hangs (in Camel, in JMS): webhooks held behind it are answered after the wait a start allows, a
     * port-out with the fail mode's 200 (silence would approve it), a notification 503 and counted as lost.
     */
    @Test
    void webhooksHeldBehindASwapThatHangsAreAnsweredInTime() throws Exception {
        RouteSwapGate hanging = new RouteSwapGate(Duration.ofMillis(200), Duration.ofMillis(200), failMode, meters);
        hanging.open();
        CompletableFuture<Boolean> swap = swapHeldUntilAnswered(hanging);
        AtomicBoolean passed = new AtomicBoolean();

        MockHttpServletResponse portOut = new MockHttpServletResponse();
        hanging.doFilter(new MockHttpServletRequest("POST", "/webhooks/bandwidth/portout-validation"), portOut,
                (request, response) -> passed.set(true));
        MockHttpServletResponse order = new MockHttpServletResponse();
        hanging.doFilter(new MockHttpServletRequest("POST", "/webhooks/bandwidth"), order,
                (request, response) -> passed.set(true));

        assertThat(passed).isFalse();
        assertThat(portOut.getStatus()).isEqualTo(200);
        assertThat(portOut.getContentAsString()).isEqualTo("<PortOutValidationResponse>fail mode</PortOutValidationResponse>");
        assertThat(undecided).hasValue(1);
        assertThat(order.getStatus()).isEqualTo(503);
        assertThat(order.getContentAsString()).isEqualTo("A route change did not end in time; retry later\n");
        assertThat(meters.get("numbers.router.webhooks").tag("type", "unknown").tag("outcome", "unavailable").counter()
                .count()).isEqualTo(1.0);
        answer.countDown();
        assertThat(swap.get(5, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * A webhook whose body was read without a thread (WebhookBodyBuffer) first reaches the gate on an asynchronous
     * dispatch: it waits for the routes like any other, and is answered by the fail mode if they never come.
     */
    @Test
    void aWebhookFirstSeenOnAnAsynchronousDispatchWaitsForTheRoutesToo() throws Exception {
        RouteSwapGate failingStart = new RouteSwapGate(Duration.ofMillis(50), Duration.ofMillis(50), failMode, meters);
        MockHttpServletRequest portOut = new MockHttpServletRequest("POST", "/webhooks/bandwidth/portout-validation");
        portOut.setDispatcherType(DispatcherType.ASYNC);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();

        failingStart.doFilter(portOut, response, (request, answer) -> passed.set(true));

        assertThat(passed).as("passed before any route served").isFalse();
        assertThat(response.getContentAsString()).isEqualTo("<PortOutValidationResponse>fail mode</PortOutValidationResponse>");
    }

    /** The later dispatch of a webhook that passed (platform-http answering asynchronously) is not held by a swap. */
    @Test
    void aLaterDispatchOfAWebhookThatPassedIsNotGatedAgain() throws Exception {
        RouteSwapGate quick = new RouteSwapGate(Duration.ofMillis(50), Duration.ofMillis(50), failMode, meters);
        quick.open();
        MockHttpServletRequest order = new MockHttpServletRequest("POST", "/webhooks/bandwidth");
        quick.doFilter(order, new MockHttpServletResponse(), (request, answer) -> { });
        CompletableFuture<Boolean> swap = swapHeldUntilAnswered(quick);
        AtomicBoolean passed = new AtomicBoolean();

        order.setDispatcherType(DispatcherType.ASYNC);
        quick.doFilter(order, new MockHttpServletResponse(), (request, response) -> passed.set(true));

        assertThat(passed).isTrue();
        answer.countDown();
        assertThat(swap.get(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A swap that has begun on {@code gate} and holds it until the test counts {@code answer} down. */
    private CompletableFuture<Boolean> swapHeldUntilAnswered(RouteSwapGate gate) throws InterruptedException {
        CountDownLatch swapping = new CountDownLatch(1);
        CompletableFuture<Boolean> swap = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.whenDrained(Duration.ofSeconds(5), () -> {
                    swapping.countDown();
                    answer.await();
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertThat(swapping.await(5, TimeUnit.SECONDS)).isTrue();
        return swap;
    }

    private CompletableFuture<Void> webhook(CountDownLatch inside, CountDownLatch answered) {
        return HeldWebhook.pass(gate, inside, answered, threads);
    }

    private boolean drained(Duration timeout, RouteSwapGate.Swap swap) {
        try {
            return gate.whenDrained(timeout, swap);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
