package com.numbersrouter.portout;

import java.util.Optional;

/**
 * Where the validator looks numbers up: the CSV file or a database ({@code numbers-router.portout.subscriber-source}).
 */
public interface SubscriberDirectory {

    /**
     * @param normalisedTn a number as {@link TelephoneNumbers#normalize(String)} returns it
     * @throws RuntimeException when the directory cannot give an answer that can be trusted (the caller answers it
     *                          with the configured fail mode, never with "not recognised")
     */
    Optional<SubscriberRecord> find(String normalisedTn);

    /**
     * True if {@link #find} answers from memory, never waiting on anything: then a decision runs on the webhook's own
     * thread, with nothing that could outlast the port-out deadline. False (the default) for a directory that may
     * wait, such as a database: each decision then runs on a thread of its own, given up at the deadline.
     */
    default boolean answersFromMemory() {
        return false;
    }

    /**
     * The directory as it is now, for all the numbers of one request: a file saved while a request is judged must not
     * judge some of its numbers against the old file and some against the new. This directory itself by default.
     */
    default SubscriberDirectory snapshot() {
        return this;
    }

    /** A short label for the audit trail: which source decided ({@code csv}, {@code jdbc}). */
    default String sourceName() {
        // a directory from outside this package, such as a test's
        return "custom";
    }
}
