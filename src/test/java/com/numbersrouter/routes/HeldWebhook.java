package com.numbersrouter.routes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A webhook passing a {@link RouteSwapGate}, held inside it for as long as a test needs (as a slow commit would). */
final class HeldWebhook {

    private HeldWebhook() {
    }

    /** Signals {@code inside} once past the gate, then is answered when {@code answered} opens. */
    static CompletableFuture<Void> pass(RouteSwapGate gate, CountDownLatch inside, CountDownLatch answered,
            Executor thread) {
        return CompletableFuture.runAsync(() -> {
            try {
                gate.doFilter(new MockHttpServletRequest("POST", "/webhooks/bandwidth"), new MockHttpServletResponse(),
                        (request, response) -> {
                            inside.countDown();
                            try {
                                answered.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, thread);
    }
}
