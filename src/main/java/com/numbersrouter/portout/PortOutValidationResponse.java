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
 * <p>{@code AcceptableValues} is sent only when the operator allowed it, and then only the values listed in
 * numbers-router.portout.acceptable-values (never a PIN or account number).
 */
@JacksonXmlRootElement(localName = "PortOutValidationResponse")
@JsonPropertyOrder({"Portable", "PON", "Errors", "AcceptableValues"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class PortOutValidationResponse {

    private final boolean portable;
    private final String pon;
    private final List<PortOutError> errors;
    private final AcceptableValues acceptableValues;

    private PortOutValidationResponse(boolean portable, String pon, List<PortOutError> errors,
            AcceptableValues acceptableValues) {
        this.portable = portable;
        this.pon = pon;
        this.errors = List.copyOf(errors);
        this.acceptableValues = acceptableValues == null || acceptableValues.isEmpty() ? null : acceptableValues;
    }

    public static PortOutValidationResponse portable(String pon) {
        return new PortOutValidationResponse(true, pon, List.of(), null);
    }

    /** A denial needs at least one error: {@code Portable=false} with no recognised code counts as approval. */
    public static PortOutValidationResponse notPortable(String pon, List<PortOutError> errors) {
        return notPortable(pon, errors, null);
    }

    /** @param acceptableValues may be null: none are sent then */
    public static PortOutValidationResponse notPortable(String pon, List<PortOutError> errors,
            AcceptableValues acceptableValues) {
        Objects.requireNonNull(errors, "errors");
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("A not-portable response needs at least one error");
        }
        return new PortOutValidationResponse(false, pon, errors, acceptableValues);
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

    @JsonProperty("AcceptableValues")
    public AcceptableValues getAcceptableValues() {
        return acceptableValues;
    }

    /** The error codes, in answer order: what the audit and the lockout look at. */
    public List<Integer> codes() {
        return errors.stream().map(e -> e.code().code()).toList();
    }
}
