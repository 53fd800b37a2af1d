package com.numbersrouter.portout;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <PortOutValidationResponse>} as bandwidth-webhooks.md §3.3 specifies it. Serialise-only: nothing in this
 * node reads one back, and Jackson XML cannot bind wrapped lists through a constructor (jackson-dataformat-xml#517).
 *
 * <p>{@code AcceptableValues} is intentionally absent until it is designed: it would disclose stored values.
 */
@JacksonXmlRootElement(localName = "PortOutValidationResponse")
@JsonPropertyOrder({"Portable", "PON", "Errors"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class PortOutValidationResponse {

    private final boolean portable;
    private final String pon;
    private final List<PortOutError> errors;

    private PortOutValidationResponse(boolean portable, String pon, List<PortOutError> errors) {
        this.portable = portable;
        this.pon = pon;
        this.errors = List.copyOf(errors);
    }

    public static PortOutValidationResponse portable(String pon) {
        return new PortOutValidationResponse(true, pon, List.of());
    }

    /** A denial needs at least one error: {@code Portable=false} with no recognised code counts as approval. */
    public static PortOutValidationResponse notPortable(String pon, List<PortOutError> errors) {
        Objects.requireNonNull(errors, "errors");
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("A not-portable response needs at least one error");
        }
        return new PortOutValidationResponse(false, pon, errors);
    }

    // Always written, false included: NON_EMPTY never drops a primitive.
    @JsonProperty("Portable")
    public boolean isPortable() {
        return portable;
    }

    @JsonProperty("PON")
    public String getPon() {
        return pon;
    }

    @JacksonXmlElementWrapper(localName = "Errors")
    @JacksonXmlProperty(localName = "Error")
    public List<PortOutError> getErrors() {
        return errors;
    }
}
