package com.numbersrouter.portout;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * Runs a port-out decision with {@code numbers-router.portout.deadline}, on a thread of its own, and gives up on it
 * at the deadline (for a directory that answers from memory: on the caller's thread, {@link #decideHere}). A
 * decision that finishes after that is never seen by the webhook, which has had the fail mode's answer: it touches
 * nothing of the request's exchange, and {@link Settled#claim()} tells it that its answer was not given (so it is
 * not remembered for repeats, and the audit holds only what Bandwidth was told).
 * <p>
 * Camel's circuit breaker can time a step out too, but a step that finishes after its timeout still copies its
 * result into the exchange, possibly after the fallback's answer was marshalled: under a flood that turned a
 * port-out answer into a 500, which Bandwidth takes as approval.
 */
final class DecisionDeadline implements AutoCloseable {

    /** Who settled a decision first: the decision itself (answer given) or the deadline (answer abandoned). */
    static final class Settled {
        private final AtomicBoolean settled = new AtomicBoolean();

        /** @return true if the caller is first: for the decision, its answer is the one given */
        boolean claim() {
            return settled.compareAndSet(false, true);
        }
    }

    /** When the decision running on this thread by {@link #decideHere} must be made (System.nanoTime()). */
    private static final ThreadLocal<Long> DEADLINE_HERE = new ThreadLocal<>();

    private final Duration deadline;
    private final ThreadPoolExecutor threads;

    /**
     * @param maxRunning decisions running at once, those past their deadline included; beyond it a decision is not
     *                   started and gets the fail mode's answer at once (a hung directory must not grow threads)
     */
    DecisionDeadline(Duration deadline, int maxRunning) {
        this.deadline = deadline;
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, maxRunning, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "portout-decision-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @throws TimeoutException when no decision was made by the deadline, or too many are still running
     */
    <T> T decide(Function<Settled, T> decision) throws TimeoutException, InterruptedException {
        Settled settled = new Settled();
        Future<T> running;
        try {
            running = threads.submit((Callable<T>) () -> decision.apply(settled));
        } catch (RejectedExecutionException e) {
            throw new TimeoutException(threads.getMaximumPoolSize() + " port-out decisions are still running");
        }
        try {
            return running.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (settled.claim()) {
                running.cancel(true);
                throw new TimeoutException("no decision within " + deadline);
            }
            return result(running); // the decision settled first, in the last instant: its answer stands
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    /**
     * Runs the decision on the caller's thread: for a decision that waits on nothing but its turn for a PIN check
     * (the directory answers from memory), where that wait is given up at the deadline ({@link #waitForTurn}).
     * Handing the decision to a thread and back cost a port-out about a fifth of its CPU (README "Capacity").
     * A PIN check that has its turn finishes (bcrypt takes milliseconds, not seconds), but none starts after the
     * deadline.
     *
     * @throws TimeoutException when a PIN check got no turn by the deadline
     */
    <T> T decideHere(Function<Settled, T> decision) throws TimeoutException {
        Settled settled = new Settled();
        DEADLINE_HERE.set(System.nanoTime() + deadline.toNanos());
        try {
            return decision.apply(settled);
        } catch (DeadlinePassed e) {
            throw new TimeoutException(e.getMessage());
        } finally {
            DEADLINE_HERE.remove();
        }
    }

    /**
     * Takes a permit, waiting no longer than the deadline of a decision made by {@link #decideHere} on this thread;
     * on a decision's own thread (or anywhere else) it waits until the deadline interrupts it.
     *
     * @throws DeadlinePassed when the deadline comes first
     */
    static void waitForTurn(Semaphore permits) throws InterruptedException {
        // Past the deadline no further check starts, even with a permit free: a request for many numbers, each with
        // a hash of its own, would otherwise run check after check well past it (100 at bcrypt cost 13: past 30 s).
        waitWithinDeadline(permits::acquire, permits::tryAcquire,
                "the deadline passed before a PIN check", "a PIN check got no turn before the deadline");
    }

    /** As {@link #waitForTurn}, for the lock of a number another decision may hold. */
    static void waitForLock(Lock lock) throws InterruptedException {
        waitWithinDeadline(lock::lockInterruptibly, lock::tryLock, "the deadline passed before the number was free",
                "another decision for the same number held it past the deadline");
    }

    private static void waitWithinDeadline(Untimed untimed, Timed timed, String passed, String timedOut)
            throws InterruptedException {
        Long deadlineHere = DEADLINE_HERE.get();
        if (deadlineHere == null) {
            untimed.await();
            return;
        }
        long left = deadlineHere - System.nanoTime();
        if (left <= 0) {
            throw new DeadlinePassed(passed);
        }
        if (!timed.await(left, TimeUnit.NANOSECONDS)) {
            throw new DeadlinePassed(timedOut);
        }
    }

    /** Waits until it has its turn, or is interrupted. */
    @FunctionalInterface
    private interface Untimed {
        void await() throws InterruptedException;
    }

    /** Waits at most that long for its turn; false if it did not get it. */
    @FunctionalInterface
    private interface Timed {
        boolean await(long time, TimeUnit unit) throws InterruptedException;
    }

    /** The deadline came while a decision made on the caller's thread was waiting. */
    static final class DeadlinePassed extends RuntimeException {
        DeadlinePassed(String message) {
            super(message, null, false, false);
        }
    }

    private static <T> T result(Future<T> running) throws InterruptedException {
        try {
            return running.get();
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    private static RuntimeException unchecked(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** Decisions still running, those past their deadline included. */
    int running() {
        return threads.getActiveCount();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
