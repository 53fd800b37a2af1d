package com.numbersrouter.portout;

import java.util.concurrent.Semaphore;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * PIN hash checks with a bound on how many run at once. A bcrypt check is deliberately slow CPU work, so a burst of
 * port-outs (a brute-force attempt across many numbers) could otherwise take every core and starve order and event
 * intake. Checks beyond the bound wait their turn; the port-out deadline still applies while they wait.
 */
final class BoundedPinCheck {

    private final PasswordEncoder encoder;
    private final Semaphore running;

    BoundedPinCheck(PasswordEncoder encoder, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("at least one PIN check must be able to run");
        }
        this.encoder = encoder;
        this.running = new Semaphore(maxConcurrent, true);
    }

    /** Half the cores, at least one: what is left keeps intake answering. */
    static int defaultConcurrency() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    boolean matches(String pin, String hash) {
        try {
            DecisionDeadline.waitForTurn(running);
        } catch (InterruptedException e) {
            // the deadline passed while waiting: the fail mode answers, nothing was decided here
            Thread.currentThread().interrupt();
            throw new IllegalStateException("PIN check interrupted while waiting for its turn", e);
        }
        try {
            return encoder.matches(pin, hash);
        } finally {
            running.release();
        }
    }

    /** Checks waiting for their turn. */
    int waiting() {
        return running.getQueueLength();
    }
}
