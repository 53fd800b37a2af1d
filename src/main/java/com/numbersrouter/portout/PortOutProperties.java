package com.numbersrouter.portout;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code numbers-router.portout.*}: the port-out rules' defaults. {@code config/portout-rules.yaml} overrides them
 * by the same names (and per account); the {@code @DefaultValue}s are the only place defaults live, tests reach
 * them through Spring's {@code Binder} rather than repeating them.
 *
 * @param subscribersFile      CSV subscriber directory, relative to the working directory unless absolute
 * @param requireAccountNumber deny (7510) when the request has no account number
 * @param checkAccountNumber   deny (7511) when the account number differs from the one on file
 * @param requirePin           deny (7512) when the request has no PIN and a requested number has one on file
 * @param checkPin             deny (7513) when the PIN does not match the hash on file
 * @param requireZipCode       deny (7514) when the request has no ZIP code
 * @param checkZipCode         deny (7515) when the ZIP code differs from the one on file
 * @param zipCodeMatch         how ZIP codes are compared: the first five digits, or the +4 too when both have it
 * @param checkSubscriberName  compare the subscriber name (7519); off because carriers rarely send it verbatim
 * @param subscriberNameMatch  how names are compared: normalised (case, punctuation, LLC/Inc ignored) or exact
 * @param checkNumberActive    deny (7518) numbers marked inactive on file
 * @param maxTelephoneNumbers  deny (7517) requests with more numbers than this
 * @param acceptableValues     what a denial may tell Bandwidth's reviewers in {@code <AcceptableValues>}; empty
 *                             (the default) sends none. A PIN or an account number can never be listed.
 */
@ConfigurationProperties("numbers-router.portout")
public record PortOutProperties(
        @DefaultValue("config/subscribers.csv") Path subscribersFile,
        @DefaultValue("true") boolean requireAccountNumber,
        @DefaultValue("true") boolean checkAccountNumber,
        @DefaultValue("true") boolean requirePin,
        @DefaultValue("true") boolean checkPin,
        @DefaultValue("true") boolean requireZipCode,
        @DefaultValue("true") boolean checkZipCode,
        @DefaultValue("five-digit") ZipCodeMatch zipCodeMatch,
        @DefaultValue("false") boolean checkSubscriberName,
        @DefaultValue("normalised") NameMatch subscriberNameMatch,
        @DefaultValue("true") boolean checkNumberActive,
        @DefaultValue("100") int maxTelephoneNumbers,
        @DefaultValue List<AcceptableValue> acceptableValues) {

    /** {@code five-digit}: 27606-1234 matches 27606-9999; {@code zip-plus-4}: the +4 must agree when both have one. */
    public enum ZipCodeMatch { FIVE_DIGIT, ZIP_PLUS_4 }

    /** {@code normalised}: "ACME PLUMBING, L.L.C." matches "Acme Plumbing"; {@code exact}: only the same text. */
    public enum NameMatch { NORMALISED, EXACT }

    /** What {@code <AcceptableValues>} may carry. Deliberately no PIN and no account number. */
    public enum AcceptableValue { TELEPHONE_NUMBERS, ZIP_CODE, SUBSCRIBER_NAME }

    /** Which values are required and compared, for the log line of the rules in force. */
    public String summary() {
        return "require " + names(requireAccountNumber, "account-number", requirePin, "pin", requireZipCode, "zip-code")
                + ", check " + names(checkAccountNumber, "account-number", checkPin, "pin", checkZipCode,
                        "zip-code (" + lowerCase(zipCodeMatch) + ")",
                        checkSubscriberName, "subscriber-name (" + lowerCase(subscriberNameMatch) + ")",
                        checkNumberActive, "number-active")
                + ", at most " + maxTelephoneNumbers + " number(s) a request, acceptable values "
                + acceptableValues.stream().map(PortOutProperties::lowerCase).toList();
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String names(Object... flagsAndNames) {
        StringJoiner joined = new StringJoiner(" ", "[", "]");
        for (int i = 0; i < flagsAndNames.length; i += 2) {
            if ((Boolean) flagsAndNames[i]) {
                joined.add((String) flagsAndNames[i + 1]);
            }
        }
        return joined.toString();
    }

    public PortOutProperties {
        Objects.requireNonNull(subscribersFile, "numbers-router.portout.subscribers-file");
        Objects.requireNonNull(zipCodeMatch, "numbers-router.portout.zip-code-match");
        Objects.requireNonNull(subscriberNameMatch, "numbers-router.portout.subscriber-name-match");
        acceptableValues = acceptableValues == null ? List.of() : List.copyOf(acceptableValues);
        if (maxTelephoneNumbers < 1) {
            throw new IllegalArgumentException("numbers-router.portout.max-telephone-numbers must be at least 1");
        }
    }
}
