package com.numbersrouter.portout;

import java.util.Objects;

/**
 * What the port-out route answers, and the decision to audit; {@code decision} is null for a repeated request,
 * which was recorded the first time.
 */
public record PortOutOutcome(PortOutValidationResponse response, PortOutDecision decision) {

    public PortOutOutcome {
        Objects.requireNonNull(response, "response");
    }
}
