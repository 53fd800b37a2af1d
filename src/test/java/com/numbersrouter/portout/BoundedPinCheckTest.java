package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
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
}
