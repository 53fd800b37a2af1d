package com.numbersrouter.portout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.numbersrouter.infra.ThrottledWarning;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port-out route's decision step around {@link PortOutValidator}: a repeated request that was denied gets its
 * first answer, a locked number is denied unevaluated, anything else is validated and counted towards the lockout. When no decision
 * is made by {@code numbers-router.portout.deadline} ({@link DecisionDeadline}), or the directory fails, or the
 * route's circuit breaker is open, the configured fail mode answers. Each answer comes with the {@link PortOutDecision} to audit.
 */
public class PortOutGatekeeper {

    private static final Logger LOG = LoggerFactory.getLogger(PortOutGatekeeper.class);
    private final ThrottledWarning undecidedBeforeRoutes = new ThrottledWarning(Duration.ofMinutes(1));
    /** The route keeps the parsed request here, so the fallback still has it. */
    public static final String REQUEST_VARIABLE = "portOutRequest";
    /** More than the webhooks admitted at once (numbers-router.webhook.max-in-flight) ever send here together. */
    static final int MAX_DECISIONS_RUNNING = 256;

    private final PortOutValidator validator;
    private final PortOutLockout lockout;
    private final PortOutRepeats repeats;
    private final PortOutGuardProperties.FailMode failMode;
    private final Clock clock;
    private final MeterRegistry meters;
    private final DecisionDeadline deadline;

    public PortOutGatekeeper(PortOutValidator validator, PortOutLockout lockout, PortOutRepeats repeats,
            PortOutGuardProperties.FailMode failMode, Duration deadline, Clock clock, MeterRegistry meters) {
        this.deadline = new DecisionDeadline(deadline, MAX_DECISIONS_RUNNING);
        this.validator = validator;
        this.lockout = lockout;
        this.repeats = repeats;
        this.failMode = failMode;
        this.clock = clock;
        this.meters = meters;
        // present from the start (at 0), so dashboards and alert rules see the series before the first one: rate()
        // and increase() miss the first count of a series that appears with it (a rare 7599, the fail-open answer)
        meters.counter("numbers.router.portout.undecided", "mode", modeName());
        meters.counter(ANSWERS, "code", "portable");
        for (PortOutErrorCode code : PortOutErrorCode.values()) {
            meters.counter(ANSWERS, "code", String.valueOf(code.code()));
        }
    }

    /** numbers_router_portout_answers_total{code}: "portable" for approvals, else each code of the denial. */
    private static final String ANSWERS = "numbers.router.portout.answers";

    /** True when the fail mode's answer is 7599, on which Bandwidth lets the port proceed. */
    public boolean failsOpen() {
        return failMode == PortOutGuardProperties.FailMode.FAIL_OPEN;
    }

    private String modeName() {
        return failMode == PortOutGuardProperties.FailMode.FAIL_OPEN ? "fail-open" : "fail-closed";
    }

    /**
     * Decides within the deadline: on the webhook's thread when the directory answers from memory, else on a thread
     * of its own (the exchange is not touched there).
     *
     * @throws TimeoutException no decision by the deadline: the route's fallback answers with the fail mode
     */
    public PortOutOutcome decide(PortOutValidationRequest request, Exchange exchange)
            throws TimeoutException, InterruptedException {
        Decided decided = validator.answersFromMemory()
                ? deadline.decideHere(settled -> decideNow(request, settled))
                : deadline.decide(settled -> decideNow(request, settled));
        if (decided.repeat()) {
            // recorded again, as a repeat: the audit holds every answer Bandwidth was given (not counted as an answer)
            return new PortOutOutcome(decided.response(), decision(request, normalised(request), decided.response(),
                    REPEAT, null, null, exchange));
        }
        return outcome(request, decided.numbers(), decided.response(), decided.basis(), decided.pinCheck(), null,
                exchange);
    }

    /** The basis of a repeat's record. */
    public static final String REPEAT = "repeat";

    private record Decided(List<String> numbers, PortOutValidationResponse response, String basis, String pinCheck,
            boolean repeat) {
    }

    private Decided decideNow(PortOutValidationRequest request, DecisionDeadline.Settled settled) {
        List<String> numbers = normalised(request);
        // The keys of locks and lockouts: the numbers that are numbers. One that is not is denied (7516), never a
        // guess, and its text as sent must not name another key (an account's).
        List<String> numberKeys = numbers.stream().filter(n -> TelephoneNumbers.normalize(n).isPresent()).toList();
        // one decision at a time per number: a burst of guesses (or of one request's retries) is taken in turn
        return lockout.oneAtATime(numberKeys, () -> {
            Optional<PortOutValidationResponse> repeat = repeats.answerOf(request);
            if (repeat.isPresent()) {
                LOG.info("Port-out validation PON={} repeated: answered as before, not evaluated again",
                        PortOutValidator.loggable(request.getPon()));
                return new Decided(List.of(), repeat.get(), REPEAT, null, true);
            }
            // A locked number is denied before the directory is asked: a failing or slow directory must not turn a
            // lock into the fail mode's answer.
            Optional<Set<PortOutErrorCode>> locked = lockout.lockedCodes(numberKeys);
            if (locked.isPresent()) {
                return lockedAnswer(request, numbers, locked.get(), settled);
            }
            // Wrong guesses are counted for each number and for its account on file: a PIN is usually the account's,
            // shared by its numbers, and five guesses per number would add up over an account of many.
            PortOutValidator.OnFile onFile = validator.lookUp(request);
            List<String> accountKeys = onFile.accounts().stream().map(PortOutLockout::accountKey).toList();
            // The account's own lock, after the numbers' (always in that order: two requests cannot hold each other
            // up), so that guesses spread over its numbers are held to its count too. It holds a PIN check at most
            // (the directory was asked above), and PIN checks are bounded to half the cores already.
            return lockout.oneAtATime(accountKeys, () -> {
                Optional<Set<PortOutErrorCode>> accountLocked = lockout.lockedCodes(accountKeys);
                if (accountLocked.isPresent()) {
                    return lockedAnswer(request, numbers, accountLocked.get(), settled);
                }
                PortOutValidationResponse response = validator.validate(request, onFile);
                // a wrong PIN counts towards the lockout even when its answer came too late to be given
                List<String> guarded = new ArrayList<>(numberKeys);
                guarded.addAll(accountKeys);
                if (!response.isPortable()) {
                    lockout.record(guarded, response.getErrors().stream().map(PortOutError::code).toList());
                } else {
                    // only the numbers and accounts whose own PIN matched: a request may name another account's
                    // number that has no PIN on file, or whose rules check none
                    lockout.approvedOnPin(onFile.pinMatchedFor());
                }
                return given(request, numbers, response, "directory:" + validator.sourceName(),
                        onFile.pin().label(), settled);
            });
        });
    }

    /** Denied unevaluated, with the codes that locked: the right PIN gets the same answer as a wrong one. */
    private Decided lockedAnswer(PortOutValidationRequest request, List<String> numbers, Set<PortOutErrorCode> codes,
            DecisionDeadline.Settled settled) {
        PortOutValidationResponse response = PortOutValidationResponse.notPortable(request.getPon(),
                codes.stream().map(PortOutError::of).toList());
        return given(request, numbers, response, "lockout", null, settled);
    }

    private Decided given(PortOutValidationRequest request, List<String> numbers, PortOutValidationResponse response,
            String basis, String pinCheck, DecisionDeadline.Settled settled) {
        // Only an answer that is given is remembered: after the deadline Bandwidth had the fail mode's answer, and a
        // retry must not get one that was never audited. Only a denial: the retry of a denied request must not count
        // again towards a lock, but an approval remembered would outlive what it rested on (a number deactivated,
        // a PIN changed, a lock placed after a fraud report) for the whole window; an approval's retry is decided
        // afresh, on what is on file then.
        if (settled.claim() && !response.isPortable()) {
            repeats.remember(request, response);
        }
        return new Decided(numbers, response, basis, pinCheck, false);
    }

    /** Decisions still running, those past their deadline included. */
    int decisionsRunning() {
        return deadline.running();
    }

    /** The locks in force now: numbers, and accounts on file. */
    public List<PortOutLockout.Lock> locks() {
        return lockout.locks();
    }

    /**
     * Lifts the lock of a number and of its account on file, and forgets their wrong guesses: for an operator who has
     * verified the subscriber. Remembered answers stay: Bandwidth's retry of the very request that was denied gets
     * that answer again within the repeat window; a new request is decided afresh.
     *
     * @param normalisedNumber a number as {@link TelephoneNumbers#normalize} gives it
     * @return how many locks or counts were lifted: the number's, and its account's
     */
    public int lift(String normalisedNumber) {
        PortOutValidationRequest request = new PortOutValidationRequest();
        request.setTelephoneNumbers(List.of(normalisedNumber));
        int lifted = lockout.lift(normalisedNumber) ? 1 : 0;
        for (String account : validator.lookUp(request).accounts()) {
            lifted += lockout.lift(PortOutLockout.accountKey(account)) ? 1 : 0;
        }
        return lifted;
    }

    /** Forgets remembered answers and lifts every lock: for an operator who has verified the subscriber, and tests. */
    public void reset() {
        repeats.clear();
        lockout.clear();
    }

    /** The circuit breaker's fallback: the deadline passed, the directory failed, or the breaker is open. */
    public PortOutOutcome couldNotDecide(Exchange exchange) {
        PortOutValidationRequest request = exchange.getVariable(REQUEST_VARIABLE, PortOutValidationRequest.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause == null ? "circuit open or deadline passed"
                : cause instanceof TimeoutException ? "deadline passed" : cause.getClass().getSimpleName();
        String pon = request == null ? null : request.getPon();
        PortOutValidationResponse response = failModeAnswer(pon);
        String mode = modeName();
        countUndecided();
        LOG.warn("Port-out validation PON={} not decided ({}): answered {} ({})", PortOutValidator.loggable(pon),
                why, mode, response.codes());
        return outcome(request, request == null ? List.of() : normalised(request), response, mode, null, why,
                exchange);
    }

    /** numbers_router_portout_undecided_total{mode}: a port-out answered by the fail mode. */
    private void countUndecided() {
        meters.counter("numbers.router.portout.undecided", "mode", modeName()).increment();
    }

    /**
     * A port-out the servlet filters answered with the fail mode before the routes saw it (at the in-flight bound,
     * without body memory, too slow, before any route served): counted like the route's own, and logged at most once
     * a minute, as a flood could send many. Its PON is not known: the body was not read.
     */
    public void undecidedBeforeRoutes(String why) {
        countUndecided();
        undecidedBeforeRoutes.seen(false, (count, unused) -> LOG.warn("{} port-out validation(s) answered {} ({})"
                + " without being read since the last warning; the last one {}", count, modeName(),
                failModeAnswer(null).codes(), why));
    }

    /**
     * The record of a port-out answered before the routes decided it (the fail mode's answer, or 7598 for one refused
     * unread): what Bandwidth was told, and why.
     *
     * @param request the request as far as its body could be read, or null
     */
    public PortOutDecision answeredBeforeRoutes(Instant answeredAt, boolean failModeAnswer, String why,
            PortOutValidationRequest request, boolean authenticated) {
        PortOutValidationResponse response = failModeAnswer ? failModeAnswer(null) : invalidRequestAnswer();
        return new PortOutDecision(answeredAt, request == null ? null : request.getPon(),
                request == null ? List.of() : normalised(request), response.isPortable(), response.codes(),
                failModeAnswer ? modeName() : "invalid-request", 0, null, why, null, authenticated);
    }

    /** For a body that is not a readable port-out request (7598). */
    public PortOutOutcome invalidRequest(Exchange exchange) {
        return outcome(null, List.of(), invalidRequestAnswer(), "invalid-request", null, null, exchange);
    }

    public PortOutValidationResponse invalidRequestAnswer() {
        return validator.invalidRequest(null);
    }

    /**
     * {@code fail-closed}: Portable=false with 7598, so the port-out goes to Exception for a person to review;
     * {@code fail-open}: 7599, on which Bandwidth lets it proceed.
     */
    public PortOutValidationResponse failModeAnswer(String pon) {
        return failMode == PortOutGuardProperties.FailMode.FAIL_OPEN
                ? PortOutValidationResponse.notPortable(pon, List.of(PortOutError.of(PortOutErrorCode.FATAL_ERROR)))
                : PortOutValidationResponse.notPortable(pon, List.of(new PortOutError(PortOutErrorCode.INVALID_REQUEST,
                        "Port-out could not be validated now; held for review")));
    }

    private PortOutOutcome outcome(PortOutValidationRequest request, List<String> numbers,
            PortOutValidationResponse response, String basis, String pinCheck, String reason, Exchange exchange) {
        PortOutDecision decision = decision(request, numbers, response, basis, pinCheck, reason, exchange);
        if (response.isPortable()) {
            meters.counter(ANSWERS, "code", "portable").increment();
        }
        response.codes().forEach(code -> meters.counter(ANSWERS, "code", String.valueOf(code)).increment());
        return new PortOutOutcome(response, decision);
    }

    private PortOutDecision decision(PortOutValidationRequest request, List<String> numbers,
            PortOutValidationResponse response, String basis, String pinCheck, String reason, Exchange exchange) {
        long latency = Math.max(0, clock.millis() - exchange.getClock().getCreated());
        return new PortOutDecision(clock.instant(), request == null ? null : request.getPon(), numbers,
                response.isPortable(), response.codes(), basis, latency, pinCheck, reason, null, true);
    }

    /** Numbers as the directory and the lockout know them; one that does not parse is kept as sent, trimmed. */
    private static List<String> normalised(PortOutValidationRequest request) {
        return request.getTelephoneNumbers().stream()
                .map(n -> TelephoneNumbers.normalize(n).orElse(PortOutValidator.loggable(n)))
                .distinct().toList();
    }
}
