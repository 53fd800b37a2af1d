package com.numbersrouter.portout;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How port-out validation protects itself and the carrier: a deadline with a fail mode, repeated requests answered
 * alike, and a lockout against PIN guessing. (The rules themselves are {@link PortOutProperties}.)
 *
 * @param deadline     answer within this even when the subscriber directory is slow or down (Bandwidth waits 30 s)
 * @param failMode     the answer when no decision could be made in time: {@code fail-closed} denies with 7598 (the
 *                     port-out goes to Exception, for a person to review), {@code fail-open} lets it proceed (7599)
 * @param repeatWindow the same request again within this gets the same answer and is not recorded again:
 *                     Bandwidth retries an unanswered request 8 times, 5 minutes apart
 * @param lockout      brute-force protection
 * @param unauthenticated what a port-out without valid credentials gets (on the port-out URL, or known by its root
 *                     element on the generic one):
 *                     {@code challenge} (401, Bandwidth's documented flow for webhooks) or {@code deny} (200,
 *                     Portable=false, 7598). Whether Bandwidth follows the challenge for port-out validation is not
 *                     documented, and a 401 it does not follow up approves the port-out: choose {@code deny} once
 *                     Bandwidth is set up to send its credentials with every request.
 * @param pinChecksAtOnce how many PIN hash checks may run at once; each keeps a core busy for the bcrypt cost's
 *                     time, so this bounds what a burst of port-outs (a brute-force attempt) can take from intake.
 *                     0 (the default) means half the cores, at least one.
 */
@ConfigurationProperties("numbers-router.portout")
public record PortOutGuardProperties(
        @DefaultValue("5s") Duration deadline,
        @DefaultValue("fail-closed") FailMode failMode,
        @DefaultValue("45m") Duration repeatWindow,
        @DefaultValue Lockout lockout,
        @DefaultValue("challenge") Unauthenticated unauthenticated,
        @DefaultValue("0") int pinChecksAtOnce) {

    public enum FailMode { FAIL_CLOSED, FAIL_OPEN }

    public enum Unauthenticated { CHALLENGE, DENY }

    /**
     * @param maxFailures wrong PINs or account numbers for one number within {@code window} that lock it
     * @param window      how long a failure counts
     * @param duration    how long the number stays locked: every request for it is denied unevaluated
     */
    public record Lockout(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("15m") Duration window,
            @DefaultValue("30m") Duration duration) {

        public Lockout {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("numbers-router.portout.lockout.max-failures must be at least 1");
            }
            Objects.requireNonNull(window, "numbers-router.portout.lockout.window");
            Objects.requireNonNull(duration, "numbers-router.portout.lockout.duration");
        }
    }

    public PortOutGuardProperties {
        Objects.requireNonNull(deadline, "numbers-router.portout.deadline");
        Objects.requireNonNull(failMode, "numbers-router.portout.fail-mode");
        Objects.requireNonNull(repeatWindow, "numbers-router.portout.repeat-window");
        Objects.requireNonNull(lockout, "numbers-router.portout.lockout");
        Objects.requireNonNull(unauthenticated, "numbers-router.portout.unauthenticated");
        if (pinChecksAtOnce < 0) {
            throw new IllegalArgumentException("numbers-router.portout.pin-checks-at-once must be 0 (half the cores) or more");
        }
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofSeconds(25)) > 0) {
            // Bandwidth gives up after 30 s and then approves: the deadline must leave room for the answer.
            throw new IllegalArgumentException("numbers-router.portout.deadline must be between 0 and 25s");
        }
    }

    /** The PIN checks that may run at once: as configured, or half the cores (at least one). */
    public int effectivePinChecksAtOnce() {
        return pinChecksAtOnce > 0 ? pinChecksAtOnce : BoundedPinCheck.defaultConcurrency();
    }
}
