package com.numbersrouter.broker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;

/**
 * One webhook waiting for its notification to be committed. The committer takes it, or the webhook gives up on it
 * after the timeout, never both: a notification the webhook gave up on before it was taken is never sent, so the
 * spool that takes it instead does not make a duplicate.
 */
final class PendingSend {

    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    final Exchange exchange;
    /** {@code queue:<name>} or {@code topic:<name>} */
    final String destination;
    /** JMS time to live; 0: never expires */
    final long timeToLiveMillis;
    final CompletableFuture<Void> committed = new CompletableFuture<>();
    /** Counted down once the committer no longer reads the exchange (its message is built, or never will be). */
    final CountDownLatch exchangeReleased = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(WAITING);

    PendingSend(Exchange exchange, String destination, Duration timeToLive) {
        this.exchange = exchange;
        this.destination = destination;
        this.timeToLiveMillis = timeToLive.toMillis();
    }

    /** The committer's claim: false if the webhook has already given up. */
    boolean take() {
        return state.compareAndSet(WAITING, TAKEN);
    }

    /** The webhook's: false if the committer has it already (it may yet be committed). */
    boolean abandon() {
        return state.compareAndSet(WAITING, ABANDONED);
    }
}
