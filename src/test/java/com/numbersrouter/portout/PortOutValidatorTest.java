package com.numbersrouter.portout;

import static com.numbersrouter.portout.TestSubscribers.ACCOUNT;
import static com.numbersrouter.portout.TestSubscribers.NAME;
import static com.numbersrouter.portout.TestSubscribers.NO_PIN_ACCOUNT;
import static com.numbersrouter.portout.TestSubscribers.NO_PIN_TN;
import static com.numbersrouter.portout.TestSubscribers.NO_PIN_ZIP;
import static com.numbersrouter.portout.TestSubscribers.PIN;
import static com.numbersrouter.portout.TestSubscribers.TN_1;
import static com.numbersrouter.portout.TestSubscribers.TN_2;
import static com.numbersrouter.portout.TestSubscribers.TN_INACTIVE;
import static com.numbersrouter.portout.TestSubscribers.UK_ACCOUNT;
import static com.numbersrouter.portout.TestSubscribers.UK_PIN;
import static com.numbersrouter.portout.TestSubscribers.UK_POSTCODE;
import static com.numbersrouter.portout.TestSubscribers.UK_TN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortOutValidatorTest {

    private static final String PON = "WIN-20250304-0042";
    private static final PortOutProperties DEFAULTS = Rules.defaults();
    private static final PortOutProperties CHECK_NAME = Rules.subscriberName(PortOutProperties.NameMatch.NORMALISED);

    private static SubscriberDirectory directory;

    @BeforeAll
    static void loadDirectory(@TempDir Path dir) throws IOException {
        directory = TestSubscribers.directory(dir);
    }

    @Test
    void approvesAMatchingRequestAndEchoesThePon() {
        PortOutValidationResponse response = validate(valid());

        assertThat(response.isPortable()).isTrue();
        assertThat(response.getPon()).isEqualTo(PON);
        assertThat(response.getErrors()).isEmpty();
    }

    @Test
    void approvesWithoutPonAndDoesNotInventOne() {
        PortOutValidationRequest request = valid();
        request.setPon(null);

        PortOutValidationResponse response = validate(request);

        assertThat(response.isPortable()).isTrue();
        assertThat(response.getPon()).isNull();
    }

    @Test
    void missingAccountNumberIs7510() {
        PortOutValidationRequest request = valid();
        request.setAccountNumber(null);

        assertThat(codesOf(validate(request))).containsExactly(7510);
    }

    @Test
    void wrongAccountNumberIs7511() {
        PortOutValidationRequest request = valid();
        request.setAccountNumber("ACCT-7781235");

        assertThat(codesOf(validate(request))).containsExactly(7511);
    }

    @Test
    void accountNumberIsComparedExactlyAfterTrimming() {
        PortOutValidationRequest padded = valid();
        padded.setAccountNumber("  " + ACCOUNT + " ");
        PortOutValidationRequest lowerCase = valid();
        lowerCase.setAccountNumber(ACCOUNT.toLowerCase());

        assertThat(codesOf(validate(padded))).isEmpty();
        assertThat(codesOf(validate(lowerCase))).containsExactly(7511);
    }

    @Test
    void missingPinIs7512() {
        PortOutValidationRequest request = valid();
        request.setPin(null);

        assertThat(codesOf(validate(request))).containsExactly(7512);
    }

    @Test
    void missingPinIsFineWhenNoRequestedNumberHasAPinOnFile() {
        PortOutValidationRequest request = request(null, NO_PIN_ACCOUNT, NO_PIN_ZIP, NO_PIN_TN);

        assertThat(codesOf(validate(request))).isEmpty();
    }

    @Test
    void aPinSentForANumberWithoutPinOnFileIsIgnored() {
        PortOutValidationRequest request = request("123456", NO_PIN_ACCOUNT, NO_PIN_ZIP, NO_PIN_TN);

        assertThat(codesOf(validate(request))).isEmpty();
    }

    @Test
    void wrongPinIs7513() {
        PortOutValidationRequest request = valid();
        request.setPin("048214");

        assertThat(codesOf(validate(request))).containsExactly(7513);
    }

    @Test
    void pinWithoutItsLeadingZeroIs7513() {
        PortOutValidationRequest request = valid();
        request.setPin("48213");

        assertThat(codesOf(validate(request))).containsExactly(7513);
    }

    @Test
    void missingZipCodeIs7514() {
        PortOutValidationRequest request = valid();
        request.setZipCode(null);

        assertThat(codesOf(validate(request))).containsExactly(7514);
    }

    @Test
    void wrongZipCodeIs7515() {
        PortOutValidationRequest request = valid();
        request.setZipCode("27607");

        assertThat(codesOf(validate(request))).containsExactly(7515);
    }

    @ParameterizedTest
    @ValueSource(strings = {"27606-1234", "276061234", "27606 1234", " 27606 "})
    void zipPlusFourMatchesTheFiveDigitZip(String zip) {
        PortOutValidationRequest request = valid();
        request.setZipCode(zip);

        assertThat(codesOf(validate(request))).isEmpty();
    }

    @Test
    void unknownNumberIs7516() {
        assertThat(codesOf(validate(request(PIN, ACCOUNT, "27606", TN_1, "9195550199")))).containsExactly(7516);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "919555018", "not-a-number", "+0019195550188"})
    void malformedNumberIs7516(String number) {
        assertThat(codesOf(validate(request(PIN, ACCOUNT, "27606", number)))).containsExactly(7516);
    }

    @Test
    void moreNumbersThanAllowedIs7517AndNoNumberIsLookedUp() {
        AtomicInteger lookups = new AtomicInteger();
        SubscriberDirectory counting = tn -> {
            lookups.incrementAndGet();
            return directory.find(tn);
        };
        PortOutProperties maxTwo = Rules.maxTelephoneNumbers(2);
        PortOutValidator validator = new PortOutValidator(counting, maxTwo, TestSubscribers.pinEncoder());

        PortOutValidationResponse response = validator.validate(request(PIN, ACCOUNT, "27606", TN_1, TN_2,
                "9195550199"));

        assertThat(codesOf(response)).containsExactly(7517);
        assertThat(lookups).hasValue(0);
    }

    /** The directory file saved while a request is judged: all of its numbers are judged against one file. */
    @Test
    void allTheNumbersOfARequestAreJudgedAgainstOneDirectory() {
        SubscriberDirectory savedMeanwhile = tn -> Optional.empty();
        AtomicInteger looks = new AtomicInteger();
        // the first look finds the file in force; every later one, the file saved since (without these numbers)
        ReloadingSubscriberDirectory reloading = new ReloadingSubscriberDirectory(
                () -> looks.getAndIncrement() == 0 ? directory : savedMeanwhile);

        PortOutValidationResponse response = new PortOutValidator(reloading, DEFAULTS, TestSubscribers.pinEncoder())
                .validate(request(PIN, ACCOUNT, "27606", TN_1, TN_2));

        assertThat(response.isPortable()).as("both numbers judged against the file in force when it began").isTrue();
    }

    @Test
    void exactlyTheMaximumIsAllowed() {
        PortOutProperties maxTwo = Rules.maxTelephoneNumbers(2);

        PortOutValidationResponse response = new PortOutValidator(directory, maxTwo, TestSubscribers.pinEncoder())
                .validate(request(PIN, ACCOUNT, "27606", TN_1, TN_2));

        assertThat(response.isPortable()).isTrue();
    }

    @Test
    void inactiveNumberIs7518() {
        assertThat(codesOf(validate(request(PIN, ACCOUNT, "27606", TN_1, TN_INACTIVE)))).containsExactly(7518);
    }

    @Test
    void wrongSubscriberNameIs7519WhenNamesAreChecked() {
        PortOutValidationRequest request = valid();
        request.setSubscriberName("Acme Heating LLC");

        assertThat(codesOf(validate(request, CHECK_NAME))).containsExactly(7519);
        assertThat(codesOf(validate(request, DEFAULTS))).isEmpty();
    }

    @Test
    void missingSubscriberNameIs7519WhenNamesAreChecked() {
        PortOutValidationRequest request = valid();
        request.setSubscriberName(null);

        assertThat(codesOf(validate(request, CHECK_NAME))).containsExactly(7519);
        assertThat(codesOf(validate(request, DEFAULTS))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme Plumbing LLC", "ACME PLUMBING, L.L.C.", "acme   plumbing", "Acme Plumbing, Inc.",
            "Acme-Plumbing Ltd", " Acme Plumbing Corp. ", "acme plumbing llc."})
    void subscriberNamesMatchIgnoringCasePunctuationAndCompanySuffix(String name) {
        PortOutValidationRequest request = valid();
        request.setSubscriberName(name);

        assertThat(codesOf(validate(request, CHECK_NAME))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme", "Acme Plumbing Supply", "LLC", "Acme Plumbers LLC"})
    void differentNamesDoNotMatch(String name) {
        PortOutValidationRequest request = valid();
        request.setSubscriberName(name);

        assertThat(codesOf(validate(request, CHECK_NAME))).containsExactly(7519);
    }

    @Test
    void noTelephoneNumbersIs7598() {
        assertThat(codesOf(validate(request(PIN, ACCOUNT, "27606")))).containsExactly(7598);
    }

    @Test
    void invalidRequestIsADenialWith7598AndEchoesThePon() {
        PortOutValidationResponse response = validator(DEFAULTS).invalidRequest(PON);

        assertThat(response.isPortable()).isFalse();
        assertThat(response.getPon()).isEqualTo(PON);
        assertThat(codesOf(response)).containsExactly(7598);
        assertThat(codesOf(validator(DEFAULTS).invalidRequest(null))).containsExactly(7598);
    }

    @Test
    void nullRequestIs7598() {
        assertThat(codesOf(validate(null))).containsExactly(7598);
    }

    @Test
    void reportsEveryFailingCheckOnce() {
        PortOutValidationRequest request = request("999999", "ACCT-0000000", "90210", TN_1, TN_2, TN_INACTIVE,
                "9195550199", "garbage");
        request.setSubscriberName("Someone Else");

        PortOutValidationResponse response = validate(request, CHECK_NAME);

        assertThat(response.isPortable()).isFalse();
        assertThat(response.getPon()).isEqualTo(PON);
        assertThat(codesOf(response)).containsExactly(7511, 7513, 7515, 7516, 7518, 7519);
    }

    @Test
    void reportsMissingFieldsTogether() {
        PortOutValidationRequest request = request(null, null, null, TN_1, TN_2);
        request.setSubscriberName(null);

        assertThat(codesOf(validate(request, CHECK_NAME))).containsExactly(7510, 7512, 7514, 7519);
    }

    @Test
    void twoNumbersWithDifferentHashesAndTheSameWrongPinGiveOne7513() {
        PortOutValidationRequest request = valid();
        request.setPin("111111");

        PortOutValidationResponse response = validate(request);

        assertThat(response.getErrors()).extracting(PortOutError::code).containsExactly(PortOutErrorCode.PIN_INVALID);
    }

    @Test
    void e164NumbersMatchTenDigitRecordsAndTheOtherWayRound() {
        assertThat(codesOf(validate(request(PIN, ACCOUNT, "27606", "+19195550188", "1-919-555-0189")))).isEmpty();
        assertThat(codesOf(validate(request(UK_PIN, UK_ACCOUNT, UK_POSTCODE, "+44 20 7183 8750")))).isEmpty();
    }

    @Test
    void nonUsPostcodesCompareWithoutCaseOrSpaces() {
        assertThat(codesOf(validate(request(UK_PIN, UK_ACCOUNT, "ec1a1bb", UK_TN)))).isEmpty();
        assertThat(codesOf(validate(request(UK_PIN, UK_ACCOUNT, "EC1A 1BC", UK_TN)))).containsExactly(7515);
    }

    @Test
    void optionalFieldsAreOnlyComparedWhenSent() {
        PortOutProperties lenient = Rules.required(false, false, false);

        assertThat(codesOf(validate(request(null, null, null, TN_1, TN_2), lenient))).isEmpty();
        assertThat(codesOf(validate(request("999999", "ACCT-0", "99999", TN_1), lenient)))
                .containsExactly(7511, 7513, 7515);
    }

    @Test
    void noDescriptionCarriesAStoredOrRequestedValue() {
        PortOutValidationRequest request = request("999999", "ACCT-0000000", "90210", TN_1, TN_INACTIVE,
                "9195550199", UK_TN);
        request.setSubscriberName("Someone Else");
        List<String> descriptions = new ArrayList<>();
        validate(request, CHECK_NAME).getErrors().forEach(e -> descriptions.add(e.description()));
        validator(DEFAULTS).invalidRequest(PON).getErrors().forEach(e -> descriptions.add(e.description()));
        for (PortOutErrorCode code : PortOutErrorCode.values()) {
            descriptions.add(code.defaultDescription());
        }

        assertThat(descriptions).hasSizeGreaterThan(PortOutErrorCode.values().length);
        for (String description : descriptions) {
            assertThat(description).as(description)
                    .doesNotContainPattern("\\d")
                    .doesNotContainIgnoringCase("acme")
                    .doesNotContainIgnoringCase("thames")
                    .doesNotContainIgnoringCase("hudson")
                    .doesNotContainIgnoringCase("someone")
                    .doesNotContain("ACCT", "EC1A");
        }
    }

    @Test
    void everyCodeIsOneBandwidthRecognises() {
        assertThat(PortOutErrorCode.values()).extracting(PortOutErrorCode::code)
                .containsExactly(7510, 7511, 7512, 7513, 7514, 7515, 7516, 7517, 7518, 7519, 7598, 7599);
        assertThat(PortOutErrorCode.fromCode(7513)).isEqualTo(PortOutErrorCode.PIN_INVALID);
    }

    /**
     * What a decision found of the PIN, for the audit, and whose PIN it matched, for the lockout: a request naming a
     * number with the right PIN and another account's number without one (rules that compare neither account nor
     * ZIP) matched the first account's PIN only, and may clear only its wrong guesses.
     */
    @Test
    void thePinEvidenceNamesOnlyTheNumbersAndAccountsWhosePinMatched() {
        PortOutValidator validator = validator(Rules.with(java.util.Map.of("check-account-number", "false",
                "check-zip-code", "false")));
        PortOutValidationRequest mixed = request(PIN, ACCOUNT, "27606", "+1" + TN_1, TestSubscribers.NO_PIN_TN);
        PortOutValidator.OnFile onFile = validator.lookUp(mixed);

        assertThat(validator.validate(mixed, onFile).isPortable()).isTrue();
        assertThat(onFile.pin()).isEqualTo(PortOutValidator.PinEvidence.MATCHED);
        assertThat(onFile.pinMatchedFor()).containsExactlyInAnyOrder(TN_1, PortOutLockout.accountKey(ACCOUNT));

        PortOutValidator.OnFile wrong = validator.lookUp(request("000000", ACCOUNT, "27606", TN_1));
        validator.validate(request("000000", ACCOUNT, "27606", TN_1), wrong);
        assertThat(wrong.pin()).isEqualTo(PortOutValidator.PinEvidence.WRONG);
        assertThat(wrong.pinMatchedFor()).isEmpty();
        PortOutValidator.OnFile missing = validator.lookUp(request(null, ACCOUNT, "27606", TN_1));
        validator.validate(request(null, ACCOUNT, "27606", TN_1), missing);
        assertThat(missing.pin()).isEqualTo(PortOutValidator.PinEvidence.MISSING);
        PortOutValidator.OnFile none = validator.lookUp(request(null, ACCOUNT, "27606", TestSubscribers.NO_PIN_TN));
        validator.validate(request(null, ACCOUNT, "27606", TestSubscribers.NO_PIN_TN), none);
        assertThat(none.pin()).isEqualTo(PortOutValidator.PinEvidence.NOT_CHECKED);
    }

    private static PortOutValidationResponse validate(PortOutValidationRequest request) {
        return validate(request, DEFAULTS);
    }

    private static PortOutValidationResponse validate(PortOutValidationRequest request, PortOutProperties properties) {
        return validator(properties).validate(request);
    }

    private static PortOutValidator validator(PortOutProperties properties) {
        return new PortOutValidator(directory, properties, TestSubscribers.pinEncoder());
    }

    static List<Integer> codesOf(PortOutValidationResponse response) {
        assertThat(response.isPortable()).isEqualTo(response.getErrors().isEmpty());
        return response.getErrors().stream().map(e -> e.code().code()).toList();
    }

    private static PortOutValidationRequest valid() {
        PortOutValidationRequest request = request(PIN, ACCOUNT, "27606", TN_1, TN_2);
        request.setSubscriberName(NAME);
        return request;
    }

    private static PortOutValidationRequest request(String pin, String account, String zip, String... numbers) {
        PortOutValidationRequest request = new PortOutValidationRequest();
        request.setPon(PON);
        request.setPin(pin);
        request.setAccountNumber(account);
        request.setZipCode(zip);
        request.setTelephoneNumbers(List.of(numbers));
        return request;
    }
}
