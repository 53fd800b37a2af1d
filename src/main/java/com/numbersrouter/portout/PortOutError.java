package com.numbersrouter.portout;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One {@code <Error>} of a denial: a recognised code and the text the winning carrier will see. */
@JsonPropertyOrder({"Code", "Description"})
public record PortOutError(
        @JsonProperty("Code") PortOutErrorCode code,
        @JsonProperty("Description") String description) {

    public PortOutError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
    }

    public static PortOutError of(PortOutErrorCode code) {
        return new PortOutError(code, code.defaultDescription());
    }
}
