package com.numbersrouter.portout;

import java.util.Objects;

/**
 * What we hold about one of our numbers. {@code pinHash} is a {@code DelegatingPasswordEncoder} hash
 * ({@code {bcrypt}…}), or {@code null} when the subscriber has no PIN, in which case no PIN is checked.
 */
public record SubscriberRecord(
        String telephoneNumber,
        String accountNumber,
        String pinHash,
        String zipCode,
        String subscriberName,
        boolean active) {

    public SubscriberRecord {
        Objects.requireNonNull(telephoneNumber, "telephoneNumber");
        Objects.requireNonNull(accountNumber, "accountNumber");
        Objects.requireNonNull(zipCode, "zipCode");
        Objects.requireNonNull(subscriberName, "subscriberName");
    }

    public boolean hasPin() {
        return pinHash != null;
    }

    /** Replaces the record default, which would print the account, ZIP, name and hash into any log line. */
    @Override
    public String toString() {
        String tail = telephoneNumber.length() > 4
                ? telephoneNumber.substring(telephoneNumber.length() - 4) : telephoneNumber;
        return "SubscriberRecord[telephoneNumber=…" + tail + ", pinOnFile=" + hasPin() + ", active=" + active + "]";
    }
}
