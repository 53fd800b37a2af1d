package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.numbersrouter.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PortOutLockoutTest {

    private static final String TN = "9195550188";
    private static final String OTHER_TN = "9195550189";
    private static final List<PortOutErrorCode> WRONG_PIN = List.of(PortOutErrorCode.PIN_INVALID);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PortOutLockout lockout = new PortOutLockout(
            new PortOutGuardProperties.Lockout(3, Duration.ofMinutes(15), Duration.ofMinutes(30)), clock, meters);

    @Test
    void theThirdWrongPinWithinTheWindowLocksTheNumber() {
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), WRONG_PIN);
        assertThat(lockout.lockedCodes(List.of(TN))).isEmpty();

        lockout.record(List.of(TN), WRONG_PIN);

        assertThat(lockout.lockedCodes(List.of(TN))).contains(Set.of(PortOutErrorCode.PIN_INVALID));
        assertThat(lockout.lockedCodes(List.of(OTHER_TN))).as("other numbers").isEmpty();
        assertThat(lockout.lockedCodes(List.of(OTHER_TN, TN))).as("any locked number locks the request").isPresent();
        assertThat(meters.counter("numbers.router.portout.lockouts").count()).isEqualTo(1);
        assertThat(meters.counter("numbers.router.portout.locked.answers").count()).isEqualTo(2);
    }

    /**
     * A decision held up (a slow directory, a queue for PIN checks) holds up only the requests for its own numbers.
     * The other number is one a lock shared by hash (64 of them, as first built) would have made wait.
     */
    @Test
    void aDecisionForOneNumberNeverWaitsForOneAboutAnother() throws Exception {
        String other = IntStream.range(100, 1000).mapToObj(n -> "9195550" + n)
                .filter(n -> !n.equals(TN) && Math.floorMod(n.hashCode(), 64) == Math.floorMod(TN.hashCode(), 64))
                .findFirst().orElseThrow();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            Future<String> slow = threads.submit(() -> lockout.oneAtATime(List.of(TN), () -> {
                inside.countDown();
                awaitQuietly(release);
                return "slow";
            }));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(threads.submit(() -> lockout.oneAtATime(List.of(other), () -> "decided")).get(5, TimeUnit.SECONDS))
                    .isEqualTo("decided");

            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void wrongAccountNumbersCountTooAndTheLockNamesBothCodes() {
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), List.of(PortOutErrorCode.ACCOUNT_NUMBER_INVALID));
        lockout.record(List.of(TN), List.of(PortOutErrorCode.ACCOUNT_NUMBER_INVALID, PortOutErrorCode.ZIP_CODE_INVALID));

        assertThat(lockout.lockedCodes(List.of(TN)))
                .contains(Set.of(PortOutErrorCode.PIN_INVALID, PortOutErrorCode.ACCOUNT_NUMBER_INVALID));
    }

    @Test
    void otherDenialsDoNotCount() {
        for (int i = 0; i < 10; i++) {
            lockout.record(List.of(TN), List.of(PortOutErrorCode.ZIP_CODE_INVALID, PortOutErrorCode.PIN_MISSING));
        }

        assertThat(lockout.lockedCodes(List.of(TN))).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowStartTheCountAgain() {
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), WRONG_PIN);
        clock.advance(Duration.ofMinutes(16));
        lockout.record(List.of(TN), WRONG_PIN);

        assertThat(lockout.lockedCodes(List.of(TN))).isEmpty();
    }

    @Test
    void anApprovalOnAPinBeforeTheLimitClearsTheCount() {
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.approvedOnPin(List.of(TN));
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), WRONG_PIN);

        assertThat(lockout.lockedCodes(List.of(TN))).isEmpty();
    }

    /**
     * A denial that checked no PIN is not a correct answer: between wrong guesses, a request without PIN and account
     * number, or one naming the number among too many, must not wipe the count (else the lock would never come).
     */
    @Test
    void aDenialThatCheckedNoPinLeavesTheCountAsItIs() {
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), List.of(PortOutErrorCode.ACCOUNT_NUMBER_MISSING, PortOutErrorCode.PIN_MISSING));
        lockout.record(List.of(TN), WRONG_PIN);
        lockout.record(List.of(TN), List.of(PortOutErrorCode.TOO_MANY_TELEPHONE_NUMBERS));
        lockout.record(List.of(TN), WRONG_PIN);

        assertThat(lockout.lockedCodes(List.of(TN))).contains(Set.of(PortOutErrorCode.PIN_INVALID));
    }

    @Test
    void theLockHoldsForItsDurationWhateverHappensAndThenExpires() {
        for (int i = 0; i < 3; i++) {
            lockout.record(List.of(TN), WRONG_PIN);
        }
        clock.advance(Duration.ofMinutes(20));
        lockout.approvedOnPin(List.of(TN));
        assertThat(lockout.lockedCodes(List.of(TN))).as("a right answer does not unlock").isPresent();

        clock.advance(Duration.ofMinutes(10));

        assertThat(lockout.lockedCodes(List.of(TN))).isEmpty();
        lockout.record(List.of(TN), WRONG_PIN);
        assertThat(lockout.lockedCodes(List.of(TN))).as("counting starts afresh").isEmpty();
    }

    /** An account number is what a port-out is checked against: its lock is logged without it. */
    @Test
    void anAccountIsLockedLikeANumberAndLoggedWithoutItsNumber() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(PortOutLockout.class);
        logger.addAppender(logs);
        try {
            List<String> guarded = List.of(TN, PortOutLockout.accountKey("ACCT-7781234"));
            for (int i = 0; i < 3; i++) {
                lockout.record(guarded, WRONG_PIN);
            }

            assertThat(lockout.lockedCodes(List.of(OTHER_TN, PortOutLockout.accountKey("ACCT-7781234"))))
                    .as("another number of the account").contains(Set.of(PortOutErrorCode.PIN_INVALID));
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.startsWith("Port-out validation locked for number …0188 until"))
                    .anyMatch(line -> line.startsWith("Port-out validation locked for the account on file of the"
                            + " number(s) guessed at until"))
                    .noneMatch(line -> line.contains("7781234"));
        } finally {
            logger.detachAppender(logs);
        }
    }
}
