package com.numbersrouter.portout;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <PortOutValidationRequest>} as Bandwidth posts it (bandwidth-webhooks.md §3.2).
 *
 * <p>A mutable bean rather than a record: jackson-dataformat-xml cannot bind {@code @JacksonXmlElementWrapper}
 * lists through a record's canonical constructor (FasterXML/jackson-dataformat-xml#517, still failing in 2.19).
 *
 * <p>Blank values are stored as {@code null}, so an empty {@code <Pin/>} reads exactly like an absent one.
 * There is deliberately no {@code toString()}: the PIN must not reach logs by accident.
 */
@JacksonXmlRootElement(localName = "PortOutValidationRequest")
// Set here as well as on SafeXml.mapper(): the Camel jacksonXml data format may bring its own mapper.
@JsonIgnoreProperties(ignoreUnknown = true)
// Written only by tests and tools; an absent field must stay absent rather than come back as an empty element.
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"PON", "Pin", "AccountNumber", "ZipCode", "SubscriberName", "TelephoneNumbers"})
public class PortOutValidationRequest {

    private String pon;
    private String pin;
    private String accountNumber;
    private String zipCode;
    private String subscriberName;
    private List<String> telephoneNumbers = new ArrayList<>();

    @JsonProperty("PON")
    public String getPon() {
        return pon;
    }

    @JsonProperty("PON")
    public void setPon(String pon) {
        this.pon = blankToNull(pon);
    }

    /** A string, never a number: PINs have leading zeros. */
    @JsonProperty("Pin")
    public String getPin() {
        return pin;
    }

    @JsonProperty("Pin")
    public void setPin(String pin) {
        this.pin = blankToNull(pin);
    }

    @JsonProperty("AccountNumber")
    public String getAccountNumber() {
        return accountNumber;
    }

    @JsonProperty("AccountNumber")
    public void setAccountNumber(String accountNumber) {
        this.accountNumber = blankToNull(accountNumber);
    }

    @JsonProperty("ZipCode")
    public String getZipCode() {
        return zipCode;
    }

    @JsonProperty("ZipCode")
    public void setZipCode(String zipCode) {
        this.zipCode = blankToNull(zipCode);
    }

    @JsonProperty("SubscriberName")
    public String getSubscriberName() {
        return subscriberName;
    }

    @JsonProperty("SubscriberName")
    public void setSubscriberName(String subscriberName) {
        this.subscriberName = blankToNull(subscriberName);
    }

    /** The numbers as sent (not normalised); never {@code null}. */
    @JacksonXmlElementWrapper(localName = "TelephoneNumbers")
    @JacksonXmlProperty(localName = "TelephoneNumber")
    public List<String> getTelephoneNumbers() {
        return telephoneNumbers;
    }

    @JacksonXmlElementWrapper(localName = "TelephoneNumbers")
    @JacksonXmlProperty(localName = "TelephoneNumber")
    public void setTelephoneNumbers(List<String> telephoneNumbers) {
        // <TelephoneNumbers/> binds to null, and an empty <TelephoneNumber/> to null or "", depending on the mapper.
        List<String> copy = new ArrayList<>();
        if (telephoneNumbers != null) {
            for (String number : telephoneNumbers) {
                copy.add(number == null ? "" : number.trim());
            }
        }
        this.telephoneNumbers = copy;
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
