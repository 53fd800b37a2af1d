package com.numbersrouter.portout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One port-out decision, as audited and published: what was asked, what was answered, on what basis and how fast.
 * It has no field for the PIN, account number, ZIP or name of the request, so none can leak into the audit trail.
 *
 * @param decidedAt        when the answer was given
 * @param pon              the request's PON (may be null: it is optional)
 * @param telephoneNumbers the requested numbers, normalised (10-digit NANP or E.164)
 * @param portable         the answer's {@code Portable}
 * @param codes            the answer's error codes (empty when portable)
 * @param basis            what decided it: {@code directory:csv}, {@code directory:jdbc}, {@code lockout},
 *                         {@code fail-closed}, {@code fail-open} or {@code invalid-request}
 * @param latencyMillis    from the request reaching the validator to the answer
 */
public record PortOutDecision(
        Instant decidedAt,
        String pon,
        List<String> telephoneNumbers,
        boolean portable,
        List<Integer> codes,
        String basis,
        long latencyMillis) {

    public PortOutDecision {
        Objects.requireNonNull(decidedAt, "decidedAt");
        telephoneNumbers = List.copyOf(telephoneNumbers);
        codes = List.copyOf(codes);
        Objects.requireNonNull(basis, "basis");
    }
}
