package com.numbersrouter.portout;

/**
 * The subscriber database gave no answer that can be trusted: it failed, timed out, or returned a row that cannot
 * be used. The caller answers with its fail mode; "not recognised" would be a wrong answer.
 *
 * <p>Messages name the column or the kind of failure, never a stored value, and carry no driver exception: drivers
 * quote offending values in their messages (H2: {@code Data conversion error converting "…"}), and these messages
 * end up in shared logs.
 */
public class SubscriberLookupException extends RuntimeException {

    private final boolean timedOut;

    SubscriberLookupException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    SubscriberLookupException(String message) {
        this(message, false);
    }

    /** The database did not answer within {@code numbers-router.portout.jdbc.query-timeout}. */
    public boolean timedOut() {
        return timedOut;
    }
}
