package com.numbersrouter.portout;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * {@code <AcceptableValues>} of a denial: what would have made the request valid, for Bandwidth's review (it is not
 * passed to the requesting carrier). Only what the operator allowed goes in (numbers-router.portout.acceptable-values),
 * and it has no field for a PIN or an account number at all.
 */
@JsonPropertyOrder({"ZipCode", "SubscriberName", "TelephoneNumbers"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AcceptableValues(
        @JsonProperty("ZipCode") String zipCode,
        @JsonProperty("SubscriberName") String subscriberName,
        @JacksonXmlElementWrapper(localName = "TelephoneNumbers")
        @JacksonXmlProperty(localName = "TelephoneNumber")
        List<String> telephoneNumbers) {

    public AcceptableValues {
        telephoneNumbers = telephoneNumbers == null ? List.of() : List.copyOf(telephoneNumbers);
    }

    boolean isEmpty() {
        return zipCode == null && subscriberName == null && telephoneNumbers.isEmpty();
    }
}
