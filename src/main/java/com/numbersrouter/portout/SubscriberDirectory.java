package com.numbersrouter.portout;

import java.util.Optional;

/** Where the validator looks numbers up; the CSV file today, possibly a database later. */
public interface SubscriberDirectory {

    /** @param normalisedTn a number as {@link TelephoneNumbers#normalize(String)} returns it */
    Optional<SubscriberRecord> find(String normalisedTn);

    /** A short label of the source ("csv", "jdbc"), recorded with each decision. */
    default String sourceName() {
        return "csv";
    }
}
