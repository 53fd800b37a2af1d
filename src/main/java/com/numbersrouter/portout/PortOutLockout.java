package com.numbersrouter.portout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection: wrong PINs or account numbers for one number, repeated {@code maxFailures} times within
 * {@code window}, lock that number for {@code duration}. The same holds for an account on file
 * ({@link #accountKey}), counted beside its numbers: one PIN usually serves all of an account's numbers. While locked, every request for it is denied with the
 * codes that locked it, unevaluated: a right PIN then gets the same answer as a wrong one, so the endpoint cannot be
 * used as a PIN oracle. An approval before the limit clears the count of the numbers and accounts whose PIN it
 * matched ({@link #approvedOnPin}); other approvals and denials leave it.
 *
 * <p>Per node, in memory, bounded: a restart or another node starts counting afresh (see the README).
 */
public final class PortOutLockout {

    private static final Logger LOG = LoggerFactory.getLogger(PortOutLockout.class);
    /** What a wrong guess looks like: the codes that count towards a lock. */
    private static final Set<PortOutErrorCode> GUESSES =
            EnumSet.of(PortOutErrorCode.PIN_INVALID, PortOutErrorCode.ACCOUNT_NUMBER_INVALID);
    private static final int MAX_NUMBERS_TRACKED = 100_000;
    private static final String ACCOUNT_PREFIX = "account:";

    /** Failures of one number; {@code lockedUntil} is set once it is locked. Replaced, never mutated. */
    private record Attempts(int failures, Instant firstFailure, Set<PortOutErrorCode> codes, Instant lockedUntil) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    private final PortOutGuardProperties.Lockout settings;
    private final Clock clock;
    private final Cache<String, Attempts> attempts;
    private final Counter locks;
    private final Counter lockedAnswers;
    /** A lock per number while a decision holds or waits for it (weak values: forgotten once no one does). */
    private final LoadingCache<String, ReentrantLock> decisionLocks =
            Caffeine.newBuilder().weakValues().build(number -> new ReentrantLock());

    public PortOutLockout(PortOutGuardProperties.Lockout settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.attempts = Caffeine.newBuilder()
                .maximumSize(MAX_NUMBERS_TRACKED)
                .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
                .expireAfter(new Expiry<String, Attempts>() {
                    @Override
                    public long expireAfterCreate(String number, Attempts value, long now) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterUpdate(String number, Attempts value, long now, long remaining) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterRead(String number, Attempts value, long now, long remaining) {
                        return remaining;
                    }
                })
                .build();
        this.locks = Counter.builder("numbers.router.portout.lockouts")
                .description("Numbers, and accounts on file, locked after repeated wrong PINs or account numbers")
                .register(meters);
        this.lockedAnswers = Counter.builder("numbers.router.portout.locked.answers")
                .description("Port-out requests denied unevaluated because a number or its account was locked").register(meters);
    }

    /**
     * Runs a decision for these numbers while no other decision for any of them runs. Checking the lock, evaluating
     * and counting the failure are three steps: without this, a burst of guesses for one number sent together would
     * all pass the check before the first wrong PIN is counted, and get tens of guesses instead of
     * {@code max-failures}. Each number has a lock of its own, so a decision never waits for one about other numbers
     * (a slow PIN check or directory holds up only requests for its own numbers); a request takes its numbers' locks
     * in one order, so two requests sharing numbers cannot hold each other up for ever.
     *
     * @throws IllegalStateException when interrupted while waiting (the deadline passed: the fail mode answers)
     */
    public <T> T oneAtATime(Collection<String> normalisedNumbers, Supplier<T> decision) {
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (String number : new TreeSet<>(normalisedNumbers)) {
                ReentrantLock lock = decisionLocks.get(number);
                DecisionDeadline.waitForLock(lock);
                held.add(lock);
            }
            return decision.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Port-out decision interrupted while waiting for another on its number", e);
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    /** The key an account on file is counted and locked under, beside its numbers. */
    public static String accountKey(String accountNumber) {
        return ACCOUNT_PREFIX + accountNumber;
    }

    /** @return the codes to deny with when any of the numbers is locked now */
    public Optional<Set<PortOutErrorCode>> lockedCodes(Collection<String> normalisedNumbers) {
        Instant now = clock.instant();
        Set<PortOutErrorCode> codes = EnumSet.noneOf(PortOutErrorCode.class);
        for (String number : normalisedNumbers) {
            Attempts current = attempts.getIfPresent(number);
            if (current != null && current.lockedAt(now)) {
                codes.addAll(current.codes());
            }
        }
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        lockedAnswers.increment();
        return Optional.of(codes);
    }

    /**
     * Clears the wrong guesses of these keys (not a lock in force): the request was approved on a PIN that matched.
     * Only then: an approval that checked no PIN (a number of the account without one on file, rules that do not ask
     * for it) proves nothing about the account's PIN, and must not wipe the guesses at it, or four guesses and one
     * such approval, repeated, would never lock the account.
     */
    public void approvedOnPin(Collection<String> normalisedNumbers) {
        Instant now = clock.instant();
        for (String number : normalisedNumbers) {
            attempts.asMap().computeIfPresent(number, (n, a) -> a.lockedAt(now) ? a : null);
        }
    }

    /**
     * Counts a denial's wrong guesses (7511, 7513) towards a lock. Any other denial leaves the count as it is: a
     * request that checks no PIN (none sent, no account number, too many numbers) must not wipe the wrong guesses
     * before it, or four guesses and one such request, repeated, would never lock. An approval is not counted here
     * ({@link #approvedOnPin}).
     */
    public void record(Collection<String> normalisedNumbers, Collection<PortOutErrorCode> failures) {
        Set<PortOutErrorCode> guesses = EnumSet.noneOf(PortOutErrorCode.class);
        failures.stream().filter(GUESSES::contains).forEach(guesses::add);
        if (guesses.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (String number : normalisedNumbers) {
            boolean[] justLocked = {false};
            Attempts after = attempts.asMap().compute(number, (n, before) -> {
                if (before != null && before.lockedAt(now)) {
                    return before;
                }
                boolean fresh = before == null || !now.isBefore(before.firstFailure().plus(settings.window()));
                int count = fresh ? 1 : before.failures() + 1;
                Set<PortOutErrorCode> codes = EnumSet.copyOf(guesses);
                if (!fresh) {
                    codes.addAll(before.codes());
                }
                Instant first = fresh ? now : before.firstFailure();
                justLocked[0] = count >= settings.maxFailures();
                return new Attempts(count, first, codes, justLocked[0] ? now.plus(settings.duration()) : null);
            });
            if (justLocked[0]) {
                locks.increment();
                LOG.warn("Port-out validation locked for {} until {}: {} wrong PIN/account attempts within {}",
                        loggable(number), after.lockedUntil(), after.failures(), settings.window());
            }
        }
    }

    void clear() {
        attempts.invalidateAll();
    }

    /** A lock in force: a number, or an account on file ({@link #isAccountKey}), until when, and its codes. */
    public record Lock(String key, Instant until, Set<PortOutErrorCode> codes) {
    }

    /** The locks in force now, for an operator. */
    public List<Lock> locks() {
        Instant now = clock.instant();
        List<Lock> locks = new ArrayList<>();
        attempts.asMap().forEach((key, a) -> {
            if (a.lockedAt(now)) {
                locks.add(new Lock(key, a.lockedUntil(), Set.copyOf(a.codes())));
            }
        });
        locks.sort(java.util.Comparator.comparing(Lock::key));
        return locks;
    }

    /** Lifts the lock of this key and forgets its wrong guesses; false if it had neither. */
    public boolean lift(String key) {
        return attempts.asMap().remove(key) != null;
    }

    public static boolean isAccountKey(String key) {
        return key.startsWith(ACCOUNT_PREFIX);
    }

    private long lifetime(Attempts value) {
        Instant now = clock.instant();
        Instant until = value.lockedUntil() != null ? value.lockedUntil() : value.firstFailure().plus(settings.window());
        return Math.max(1, Duration.between(now, until).toNanos());
    }

    /**
     * Numbers are not secret, but a log needs no more than the last four digits to tell them apart. An account number
     * is what a port-out is checked against: none of it is logged (the lock of one of its numbers comes with it).
     */
    private static String loggable(String key) {
        if (key.startsWith(ACCOUNT_PREFIX)) {
            return "the account on file of the number(s) guessed at";
        }
        return "number …" + (key.length() > 4 ? key.substring(key.length() - 4) : key);
    }
}
