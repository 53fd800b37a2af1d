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

    /** A short label for the audit trail: which source decided ({@code csv}, {@code jdbc}). */
    default String sourceName() {
        // a directory from outside this package, such as a test's
        return "custom";
    }
}
