package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

class BoundedPinCheckTest {

    @Test
    void checksBeyondTheBoundWaitTheirTurnInsteadOfTakingMoreCores() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        PasswordEncoder slow = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean matches(CharSequence raw, String hash) {
                mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                return raw.toString().equals(hash);
            }
        };
        BoundedPinCheck check = new BoundedPinCheck(slow, 1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<Future<Boolean>> results = new ArrayList<>();
        for (String pin : new String[] {"1", "2", "3"}) {
            results.add(threads.submit(() -> check.matches(pin, "2")));
        }

        await().atMost(5, TimeUnit.SECONDS).until(() -> inside.get() == 1 && check.waiting() == 2);
        release.countDown();

        assertThat(results.get(0).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(results.get(1).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(results.get(2).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(mostAtOnce.get()).isEqualTo(1);
        threads.shutdownNow();
    }

    /**
     * A request for many numbers, each with a hash of its own, makes one check per hash: past the deadline no further
     * check may start, or the answer comes after Bandwidth's 30 s (which approves the port-out).
     */
    @Test
    void noCheckStartsAfterTheDeadlineOfADecisionMadeHere() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        PasswordEncoder costly = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                throw new UnsupportedOperationException();
            }

            /** Busy for 60 ms, as a bcrypt check at a high cost is: CPU work, not a wait. */
            @Override
            public boolean matches(CharSequence raw, String hash) {
                checks.incrementAndGet();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return true;
            }
        };
        BoundedPinCheck check = new BoundedPinCheck(costly, 1);

        try (DecisionDeadline deadline = new DecisionDeadline(java.time.Duration.ofMillis(100), 4)) {
            assertThatThrownBy(() -> deadline.decideHere(settled -> {
                for (int hash = 0; hash < 20; hash++) {
                    check.matches("1234", "hash-" + hash);
                }
                return true;
            })).isInstanceOf(java.util.concurrent.TimeoutException.class);
        }
        assertThat(checks.get()).as("checks started: those before the deadline, not all 20").isLessThanOrEqualTo(3);
    }
}
