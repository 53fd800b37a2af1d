package com.numbersrouter.portout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The codes Bandwidth recognises in a port-out validation response (bandwidth-webhooks.md §3.4). Only these are
 * emitted: Bandwidth ignores unknown codes, which would silently approve the port-out.
 *
 * <p>Descriptions are forwarded to the winning carrier, so they name the failing field and never carry a value
 * from the request or from our records (no CPNI).
 */
public enum PortOutErrorCode {

    ACCOUNT_NUMBER_MISSING(7510, "Account number is required"),
    ACCOUNT_NUMBER_INVALID(7511, "Account number does not match our records"),
    PIN_MISSING(7512, "PIN is required"),
    PIN_INVALID(7513, "PIN does not match our records"),
    ZIP_CODE_MISSING(7514, "ZIP code is required"),
    ZIP_CODE_INVALID(7515, "ZIP code does not match service address"),
    TELEPHONE_NUMBER_NOT_RECOGNIZED(7516, "Telephone number not recognized or invalid for this account"),
    TOO_MANY_TELEPHONE_NUMBERS(7517, "Too many telephone numbers in this request"),
    TELEPHONE_NUMBER_NOT_ACTIVE(7518, "Telephone number is not active"),
    SUBSCRIBER_NAME_MISMATCH(7519, "Subscriber name does not match our records"),
    INVALID_REQUEST(7598, "Invalid request: malformed or without telephone numbers"),
    // Bandwidth lets the port-out proceed on 7599, so it is for "we could not decide", never for a denial.
    FATAL_ERROR(7599, "Fatal error in processing");

    private final int code;
    private final String defaultDescription;

    PortOutErrorCode(int code, String defaultDescription) {
        this.code = code;
        this.defaultDescription = defaultDescription;
    }

    @JsonValue
    public int code() {
        return code;
    }

    public String defaultDescription() {
        return defaultDescription;
    }

    @JsonCreator
    public static PortOutErrorCode fromCode(int code) {
        for (PortOutErrorCode candidate : values()) {
            if (candidate.code == code) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Not a port-out validation error code: " + code);
    }
}
