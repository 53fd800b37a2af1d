package com.numbersrouter.portout;

import java.time.Duration;

/**
 * Bandwidth approves a port-out it has no answer for within 30 s. Each of the settings a port-out may wait on is
 * bounded on its own; together they must fit too: the body arriving (the webhook's body-read timeout), the decision
 * (the deadline, then the fail mode), and the decision's record on disk (the audit's record timeout).
 */
final class PortOutTimeBudget {

    /** Bandwidth's 30 s, less room for the network and the answer itself. */
    static final Duration MAX_TOTAL = Duration.ofSeconds(28);

    private PortOutTimeBudget() {
    }

    static void check(Duration bodyReadTimeout, Duration deadline, Duration recordTimeout) {
        Duration total = bodyReadTimeout.plus(deadline).plus(recordTimeout);
        if (total.compareTo(MAX_TOTAL) > 0) {
            throw new IllegalArgumentException("numbers-router.webhook.body-read-timeout (" + seconds(bodyReadTimeout)
                    + ") + numbers-router.portout.deadline (" + seconds(deadline)
                    + ") + numbers-router.portout.audit.record-timeout (" + seconds(recordTimeout) + ") = "
                    + seconds(total) + ": a port-out could be answered after Bandwidth's 30 s, and Bandwidth approves"
                    + " a port-out it has no answer for. Keep the three at most " + seconds(MAX_TOTAL) + " together");
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
