package com.numbersrouter.portout;

import java.util.Objects;

/**
 * What the port-out route answers, and the decision to audit (for a repeat of a denied request, a record with the
 * basis {@code repeat}).
 */
public record PortOutOutcome(PortOutValidationResponse response, PortOutDecision decision) {

    public PortOutOutcome {
        Objects.requireNonNull(response, "response");
    }
}
