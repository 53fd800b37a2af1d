package com.numbersrouter.routes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Unit test: webhooks are threads passing the filter, held inside it by a latch for as long as a test needs. */
class RouteSwapGateTest {

    private final RouteSwapGate gate = new RouteSwapGate();
    private final CountDownLatch answer = new CountDownLatch(1);
    /** A thread each: webhooks and swaps block, and a common pool may have a single thread. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

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
