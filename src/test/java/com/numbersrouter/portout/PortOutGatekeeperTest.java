package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.numbersrouter.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

class PortOutGatekeeperTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger lookups = new AtomicInteger();
    /** PIN hash checks: what evaluating a request costs, and what a locked one must not get. */
    private final AtomicInteger pinChecks = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean directoryDown = new java.util.concurrent.atomic.AtomicBoolean();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(PortOutGatekeeper.class),
            (Logger) LoggerFactory.getLogger(PortOutLockout.class));
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private SubscriberDirectory directory;
    /** Numbers the test has since deactivated on file (a fraud report), and rows it added. */
    private final java.util.Set<String> deactivated = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, SubscriberRecord> added = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void setUp(@TempDir Path dir) throws IOException {
        SubscriberDirectory csv = TestSubscribers.directory(dir);
        directory = new SubscriberDirectory() {
            @Override
            public Optional<SubscriberRecord> find(String number) {
                lookups.incrementAndGet();
                if (directoryDown.get()) {
                    throw new IllegalStateException("directory down");
                }
                if (added.containsKey(number)) {
                    return Optional.of(added.get(number));
                }
                return csv.find(number).map(r -> deactivated.contains(number) ? new SubscriberRecord(
                        r.telephoneNumber(), r.accountNumber(), r.pinHash(), r.zipCode(), r.subscriberName(), false)
                        : r);
            }

            @Override
            public String sourceName() {
                return csv.sourceName();
            }
        };
        logs.start();
        loggers.forEach(l -> l.addAppender(logs));
    }

    @AfterEach
    void tearDown() {
        loggers.forEach(l -> l.detachAppender(logs));
    }

    @Test
    void aRepeatedDenialGetsTheFirstAnswerWithoutEvaluationAndIsRecordedAsARepeat() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        PortOutOutcome first = gatekeeper.decide(request("WIN-1", "000000"), exchange());
        int lookupsAfterFirst = lookups.get();

        PortOutOutcome again = gatekeeper.decide(request("WIN-1", "000000"), exchange());

        assertThat(again.response()).isSameAs(first.response());
        assertThat(again.decision().basis()).isEqualTo("repeat");
        assertThat(again.decision().codes()).containsExactly(7513);
        assertThat(again.decision().pon()).isEqualTo("WIN-1");
        assertThat(lookups.get()).isEqualTo(lookupsAfterFirst);
        assertThat(first.decision().codes()).containsExactly(7513);
        assertThat(first.decision().basis()).isEqualTo("directory:csv");
        assertThat(first.decision().telephoneNumbers()).containsExactly(TestSubscribers.TN_1);
    }

    /**
     * An approval is not remembered: the same request again (Bandwidth's retry, or a fraudster's replay) after the
     * number was deactivated on a fraud report is decided on what is on file now, not approved from memory.
     */
    @Test
    void anApprovalIsNotRememberedSoTheSameRequestAfterTheNumberIsDeactivatedIsDenied() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        PortOutOutcome approved = gatekeeper.decide(request("WIN-1", TestSubscribers.PIN), exchange());
        assertThat(approved.response().isPortable()).isTrue();
        assertThat(approved.decision().pinCheck()).isEqualTo("matched");

        deactivated.add(TestSubscribers.TN_1);
        PortOutOutcome again = gatekeeper.decide(request("WIN-1", TestSubscribers.PIN), exchange());

        assertThat(again.response().isPortable()).isFalse();
        assertThat(again.response().codes()).containsExactly(7518);
        assertThat(again.decision().basis()).isEqualTo("directory:csv");
    }

    /**
     * Guesses at an account's PIN, spread over two of its numbers, then an approval for a third number of the account
     * that has no PIN on file (no PIN checked): the guesses still count, and the fifth locks the account.
     */
    @Test
    void anApprovalThatCheckedNoPinDoesNotClearTheAccountsWrongGuesses() throws Exception {
        String noPinNumber = "9195550177";
        added.put(noPinNumber, new SubscriberRecord(noPinNumber, TestSubscribers.ACCOUNT, null, TestSubscribers.ZIP,
                TestSubscribers.NAME, true));
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        for (int i = 0; i < 4; i++) {
            PortOutValidationRequest guess = request("GUESS-" + i, "00000" + i);
            guess.setTelephoneNumbers(List.of(i % 2 == 0 ? TestSubscribers.TN_1 : TestSubscribers.TN_2));
            assertThat(gatekeeper.decide(guess, exchange()).response().codes()).containsExactly(7513);
        }
        PortOutValidationRequest noPin = request("NO-PIN", "999999");
        noPin.setTelephoneNumbers(List.of(noPinNumber));
        PortOutOutcome approval = gatekeeper.decide(noPin, exchange());
        assertThat(approval.response().isPortable()).isTrue();
        assertThat(approval.decision().pinCheck()).isEqualTo("not-checked");

        gatekeeper.decide(request("GUESS-5", "000005"), exchange());
        PortOutValidationRequest right = request("RIGHT", TestSubscribers.PIN);
        right.setTelephoneNumbers(List.of(TestSubscribers.TN_2));
        PortOutOutcome afterwards = gatekeeper.decide(right, exchange());

        assertThat(afterwards.decision().basis()).as("the account is locked after its fifth wrong guess")
                .isEqualTo("lockout");
    }

    @Test
    void aCorrectedRequestWithTheSamePonIsEvaluatedAfresh() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        gatekeeper.decide(request("WIN-1", "000000"), exchange());

        PortOutOutcome corrected = gatekeeper.decide(request("WIN-1", TestSubscribers.PIN), exchange());

        assertThat(corrected.response().isPortable()).isTrue();
        assertThat(corrected.decision()).isNotNull();
    }

    @Test
    void aLockedNumberIsDeniedUnevaluatedEvenWithTheRightPin() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        for (int i = 0; i < 5; i++) {
            gatekeeper.decide(request("GUESS-" + i, "00000" + i), exchange());
        }
        int pinChecksBefore = pinChecks.get();
        int lookupsBefore = lookups.get();

        PortOutOutcome right = gatekeeper.decide(request("WIN-RIGHT", TestSubscribers.PIN), exchange());

        assertThat(right.response().isPortable()).isFalse();
        assertThat(right.response().codes()).containsExactly(7513);
        assertThat(right.decision().basis()).isEqualTo("lockout");
        assertThat(pinChecks.get()).as("not evaluated").isEqualTo(pinChecksBefore);
        assertThat(lookups.get()).as("the directory not even asked").isEqualTo(lookupsBefore);

        // nor when it is down: the lock answers, not the fail mode
        directoryDown.set(true);
        PortOutOutcome whileDown = gatekeeper.decide(request("WIN-DOWN", TestSubscribers.PIN), exchange());
        assertThat(whileDown.decision().basis()).isEqualTo("lockout");
        assertThat(whileDown.response().codes()).containsExactly(7513);
        directoryDown.set(false);

        clock.advance(Duration.ofMinutes(31));
        assertThat(gatekeeper.decide(request("WIN-LATER", TestSubscribers.PIN), exchange()).response().isPortable())
                .as("the lock expires").isTrue();
    }

    /**
     * Guesses spread over the numbers of one account, one each, sent all at once: the account's count holds them to
     * max-failures, and then every number of the account is locked, the right PIN included.
     */
    @Test
    void aBurstOfGuessesOverOneAccountsNumbersIsHeldToTheAccountsCount() throws Exception {
        String hash = TestSubscribers.bcrypt(TestSubscribers.PIN);
        // every 919555xxxx number on the one account, with the same PIN
        directory = inMemory(number -> number.replaceFirst("^\\+?1?", "").startsWith("919555")
                ? Optional.of(new SubscriberRecord(number, TestSubscribers.ACCOUNT, hash, TestSubscribers.ZIP,
                        TestSubscribers.NAME, true))
                : Optional.empty());
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        List<PortOutValidationRequest> guesses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PortOutValidationRequest request = request("SPREAD-" + i, String.format("%06d", 900000 + i));
            request.setTelephoneNumbers(List.of("+1919555" + (1000 + i)));
            guesses.add(request);
        }

        assertThat(allAtOnce(gatekeeper, guesses)).noneMatch(outcome -> outcome.response().isPortable());
        assertThat(pinChecks.get()).as("evaluated").isEqualTo(5);
        PortOutValidationRequest right = request("SPREAD-RIGHT", TestSubscribers.PIN);
        right.setTelephoneNumbers(List.of("+19195559999"));
        assertThat(gatekeeper.decide(right, exchange()).decision().basis()).as("a number nobody guessed at")
                .isEqualTo("lockout");
    }

    /** An unparsable number is not a lock key: its text must not read an account's lock (nor take its lock). */
    @Test
    void aNumberThatIsNotOneCannotReadAnAccountsLock() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        for (int i = 0; i < 5; i++) {
            gatekeeper.decide(request("GUESS-" + i, "00000" + i), exchange());
        }
        PortOutValidationRequest posing = request("POSING", "000000");
        posing.setTelephoneNumbers(List.of(PortOutLockout.accountKey(TestSubscribers.ACCOUNT)));

        PortOutOutcome answer = gatekeeper.decide(posing, exchange());

        assertThat(answer.decision().basis()).as("evaluated, not answered from the account's lock")
                .isNotEqualTo("lockout");
        assertThat(answer.response().codes()).doesNotContain(7513);
    }

    /** Guesses sent all at once, not one after the other: still no more than max-failures (5) are evaluated. */
    @Test
    void aBurstOfGuessesForOneNumberIsEvaluatedNoMoreThanTheLockoutAllows() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        List<PortOutValidationRequest> guesses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            guesses.add(request("BURST-" + i, String.format("%06d", 900000 + i)));
        }

        List<PortOutOutcome> outcomes = allAtOnce(gatekeeper, guesses);

        assertThat(outcomes).noneMatch(outcome -> outcome.response().isPortable());
        assertThat(pinChecks.get()).as("evaluated").isEqualTo(5);
        assertThat(outcomes).extracting(outcome -> outcome.decision().basis()).filteredOn("lockout"::equals)
                .hasSize(guesses.size() - 5);
    }

    /** Decides these requests on threads of their own, released together, as an attacker's burst arrives. */
    private List<PortOutOutcome> allAtOnce(PortOutGatekeeper gatekeeper, List<PortOutValidationRequest> requests)
            throws Exception {
        CyclicBarrier together = new CyclicBarrier(requests.size());
        ExecutorService attackers = Executors.newFixedThreadPool(requests.size());
        try {
            List<Future<PortOutOutcome>> answers = new ArrayList<>();
            for (PortOutValidationRequest request : requests) {
                answers.add(attackers.submit(() -> {
                    together.await();
                    return gatekeeper.decide(request, exchange());
                }));
            }
            List<PortOutOutcome> outcomes = new ArrayList<>();
            for (Future<PortOutOutcome> answer : answers) {
                outcomes.add(answer.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            attackers.shutdownNow();
        }
    }

    @Test
    void failClosedDeniesWith7598AndFailOpenLetsThePortProceedWith7599() throws Exception {
        Exchange failed = exchange();
        failed.setVariable(PortOutGatekeeper.REQUEST_VARIABLE, request("WIN-SLOW", TestSubscribers.PIN));
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new java.util.concurrent.TimeoutException());

        PortOutOutcome closed = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED).couldNotDecide(failed);
        PortOutOutcome open = gatekeeper(PortOutGuardProperties.FailMode.FAIL_OPEN).couldNotDecide(failed);

        assertThat(closed.response().isPortable()).isFalse();
        assertThat(closed.response().codes()).containsExactly(7598);
        assertThat(closed.response().getPon()).isEqualTo("WIN-SLOW");
        assertThat(closed.decision().basis()).isEqualTo("fail-closed");
        assertThat(open.response().codes()).containsExactly(7599);
        assertThat(open.decision().basis()).isEqualTo("fail-open");
        assertThat(meters.counter("numbers.router.portout.undecided", "mode", "fail-closed").count()).isEqualTo(1);
    }

    @Test
    void noLogLineCarriesThePinOrAStoredValue() throws Exception {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        for (int i = 0; i < 6; i++) {
            gatekeeper.decide(request("GUESS-" + i, "99999" + i), exchange());
        }
        gatekeeper.decide(request("GUESS-0", "999990"), exchange());
        Exchange failed = exchange();
        failed.setVariable(PortOutGatekeeper.REQUEST_VARIABLE, request("WIN-SLOW", TestSubscribers.PIN));
        gatekeeper.couldNotDecide(failed);

        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("locked")).anyMatch(l -> l.contains("repeated"))
                .anyMatch(l -> l.contains("fail-closed"));
        for (String line : lines) {
            assertThat(line).doesNotContain("99999", TestSubscribers.PIN, TestSubscribers.ACCOUNT, TestSubscribers.ZIP);
        }
    }

    @Test
    void aDecisionPastTheDeadlineIsAbandonedAndItsLateAnswerIsNeverGivenToARetry() throws Exception {
        CountDownLatch directoryAnswers = new CountDownLatch(1);
        SubscriberDirectory fast = directory;
        // A directory that does not stop when the deadline interrupts it (as many JDBC drivers do not).
        directory = number -> {
            while (true) {
                try {
                    directoryAnswers.await();
                    return fast.find(number);
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
            }
        };
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED, Duration.ofMillis(200));

        assertThatThrownBy(() -> gatekeeper.decide(request("WIN-LATE", TestSubscribers.PIN), exchange()))
                .isInstanceOf(TimeoutException.class);
        directoryAnswers.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> lookups.get() == 1 && gatekeeper.decisionsRunning() == 0);

        // Bandwidth's retry: evaluated afresh, not answered with the abandoned decision (never given, never audited)
        PortOutOutcome retry = gatekeeper.decide(request("WIN-LATE", TestSubscribers.PIN), exchange());
        assertThat(retry.decision()).as("a decision of its own, recorded").isNotNull();
        assertThat(retry.response().isPortable()).isTrue();
    }

    @Test
    void aDirectoryThatAnswersFromMemoryIsAskedOnTheWebhooksOwnThreadAndOtherDirectoriesOnAnother() throws Exception {
        SubscriberDirectory plain = directory;
        List<Thread> askedOn = new CopyOnWriteArrayList<>();
        directory = inMemory(number -> {
            askedOn.add(Thread.currentThread());
            return plain.find(number);
        });
        assertThat(gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED).decide(request("WIN-HERE", TestSubscribers.PIN),
                exchange()).response().isPortable()).isTrue();
        directory = number -> {
            askedOn.add(Thread.currentThread());
            return plain.find(number);
        };
        gatekeeper(PortOutGuardProperties.FailMode.FAIL_CLOSED).decide(request("WIN-THERE", TestSubscribers.PIN), exchange());

        assertThat(askedOn).hasSize(2);
        assertThat(askedOn.get(0)).isSameAs(Thread.currentThread());
        assertThat(askedOn.get(1)).isNotSameAs(Thread.currentThread());
    }

    @Test
    void onTheWebhooksThreadAPinCheckThatGetsNoTurnByTheDeadlineLeavesThePortOutUndecided() throws Exception {
        directory = inMemory(directory::find);
        CountDownLatch firstCheckMayEnd = new CountDownLatch(1);
        CountDownLatch firstCheckStarted = new CountDownLatch(1);
        PasswordEncoder firstHeld = pinEncoderThat(() -> {
            if (firstCheckStarted.getCount() > 0) {
                firstCheckStarted.countDown();
                try {
                    firstCheckMayEnd.await(10, TimeUnit.SECONDS); // bounded: a broken deadline fails, not hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // one PIN check at a time, so the second port-out waits for the first one's
        PortOutGatekeeper gatekeeper = new PortOutGatekeeper(
                new PortOutValidator(directory, () -> PortOutRuleSet.of(Rules.defaults()), firstHeld, 1),
                new PortOutLockout(new PortOutGuardProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(30)),
                        clock, meters),
                new PortOutRepeats(Duration.ofMinutes(45), clock, meters), PortOutGuardProperties.FailMode.FAIL_CLOSED,
                Duration.ofMillis(300), clock, meters);
        CompletableFuture<PortOutOutcome> first = CompletableFuture.supplyAsync(() -> {
            try {
                return gatekeeper.decide(request("WIN-FIRST", TestSubscribers.PIN), exchange());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(firstCheckStarted.await(5, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        assertThatThrownBy(() -> gatekeeper.decide(request("WIN-SECOND", TestSubscribers.PIN), exchange()))
                .isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));

        firstCheckMayEnd.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).response().isPortable()).isTrue();
    }

    /** The directory, declared as one that answers from memory (as the CSV directory is). */
    /** The node's PIN encoder, doing {@code beforeEachCheck} first. */
    private static PasswordEncoder pinEncoderThat(Runnable beforeEachCheck) {
        PasswordEncoder encoder = TestSubscribers.pinEncoder();
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence pin) {
                return encoder.encode(pin);
            }

            @Override
            public boolean matches(CharSequence pin, String hash) {
                beforeEachCheck.run();
                return encoder.matches(pin, hash);
            }
        };
    }

    private static SubscriberDirectory inMemory(SubscriberDirectory lookup) {
        return new SubscriberDirectory() {
            @Override
            public Optional<SubscriberRecord> find(String number) {
                return lookup.find(number);
            }

            @Override
            public boolean answersFromMemory() {
                return true;
            }

            @Override
            public String sourceName() {
                return "csv";
            }
        };
    }

    /**
     * Answered by the fail mode before the routes read it (a bound, a start): counted with the route's own undecided
     * port-outs, and logged with the reason, once for a burst rather than once a request.
     */
    @Test
    void aPortOutAnsweredBeforeTheRoutesIsCountedAndLoggedOnceForABurst() {
        PortOutGatekeeper gatekeeper = gatekeeper(PortOutGuardProperties.FailMode.FAIL_OPEN);

        for (int n = 0; n < 5; n++) {
            gatekeeper.undecidedBeforeRoutes("at the in-flight bound");
        }

        assertThat(meters.counter("numbers.router.portout.undecided", "mode", "fail-open").count()).isEqualTo(5);
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("without being read")).toList();
        assertThat(lines).containsExactly("1 port-out validation(s) answered fail-open ([7599]) without being read since"
                + " the last warning; the last one at the in-flight bound");
    }

    private PortOutGatekeeper gatekeeper(PortOutGuardProperties.FailMode mode) {
        return gatekeeper(mode, Duration.ofSeconds(5));
    }

    private PortOutGatekeeper gatekeeper(PortOutGuardProperties.FailMode mode, Duration deadline) {
        PortOutValidator validator = new PortOutValidator(directory, Rules.defaults(),
                pinEncoderThat(pinChecks::incrementAndGet));
        return new PortOutGatekeeper(validator,
                new PortOutLockout(new PortOutGuardProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(30)),
                        clock, meters),
                new PortOutRepeats(Duration.ofMinutes(45), clock, meters), mode, deadline, clock, meters);
    }

    private Exchange exchange() {
        return new DefaultExchange(camel);
    }

    private static PortOutValidationRequest request(String pon, String pin) {
        PortOutValidationRequest request = new PortOutValidationRequest();
        request.setPon(pon);
        request.setPin(pin);
        request.setAccountNumber(TestSubscribers.ACCOUNT);
        request.setZipCode(TestSubscribers.ZIP);
        request.setTelephoneNumbers(List.of("+1" + TestSubscribers.TN_1));
        return request;
    }
}
