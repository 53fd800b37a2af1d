package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.junit.jupiter.api.Test;

/** The rule options of config/portout-rules.yaml, each shown on a small in-memory directory. */
class PortOutRuleOptionsTest {

    private static final String PIN = "048213";
    private static final String BUSINESS = "ACCT-BUSINESS";
    private static final String CONSUMER = "ACCT-CONSUMER";
    private static final String NO_PINS = "ACCT-NO-PINS";
    private static final Map<String, SubscriberRecord> RECORDS = Map.of(
            "9195550101", new SubscriberRecord("9195550101", BUSINESS, TestSubscribers.bcrypt(PIN), "27606-1234",
                    "Acme Plumbing LLC", true),
            "9195550102", new SubscriberRecord("9195550102", BUSINESS, TestSubscribers.bcrypt(PIN), "27606-1234",
                    "Acme Plumbing LLC", false),
            "9195550201", new SubscriberRecord("9195550201", CONSUMER, TestSubscribers.bcrypt(PIN), "10001",
                    "Jane Roe", true),
            "9195550301", new SubscriberRecord("9195550301", NO_PINS, TestSubscribers.bcrypt("999999"), "10001",
                    "Hudson Deli", true));
    private static final SubscriberDirectory DIRECTORY = number -> Optional.ofNullable(RECORDS.get(number));

    @Test
    void zipPlus4MustAgreeOnlyWhenBothSidesHaveIt() {
        PortOutProperties strict = Rules.zipPlus4();

        assertThat(codes(strict, request("27606-1234", "9195550101"))).isEmpty();
        assertThat(codes(strict, request("27606 1234", "9195550101"))).isEmpty();
        assertThat(codes(strict, request("276061234", "9195550101"))).isEmpty();
        assertThat(codes(strict, request("27606", "9195550101"))).as("no +4 sent").isEmpty();
        assertThat(codes(strict, request("27606-9999", "9195550101"))).containsExactly(7515);
        assertThat(codes(Rules.defaults(), request("27606-9999", "9195550101"))).as("five-digit").isEmpty();
        assertThat(codes(Rules.defaults(), request("27607-1234", "9195550101"))).containsExactly(7515);
    }

    @Test
    void exactNameMatchingTakesTheTextAsItIs() {
        PortOutValidationRequest shouted = request("27606", "9195550101");
        shouted.setSubscriberName("ACME PLUMBING, L.L.C.");
        PortOutValidationRequest same = request("27606", "9195550101");
        same.setSubscriberName("  Acme Plumbing LLC ");

        assertThat(codes(Rules.subscriberName(PortOutProperties.NameMatch.NORMALISED), shouted)).isEmpty();
        assertThat(codes(Rules.subscriberName(PortOutProperties.NameMatch.EXACT), shouted)).containsExactly(7519);
        assertThat(codes(Rules.subscriberName(PortOutProperties.NameMatch.EXACT), same)).isEmpty();
    }

    @Test
    void eachComparisonCanBeSwitchedOffOnItsOwn() {
        PortOutValidationRequest wrong = request("99999", "9195550101", "9195550102");
        wrong.setPin("000000");
        wrong.setAccountNumber("ACCT-OTHER");
        assertThat(codes(Rules.defaults(), wrong)).containsExactly(7511, 7513, 7515, 7518);

        assertThat(codes(Rules.with(Map.of("check-pin", "false")), wrong)).containsExactly(7511, 7515, 7518);
        assertThat(codes(Rules.with(Map.of("check-account-number", "false")), wrong)).containsExactly(7513, 7515, 7518);
        assertThat(codes(Rules.with(Map.of("check-zip-code", "false")), wrong)).containsExactly(7511, 7513, 7518);
        assertThat(codes(Rules.with(Map.of("check-number-active", "false")), wrong)).containsExactly(7511, 7513, 7515);
    }

    @Test
    void accountOverridesApplyToThatAccountsNumbersOnly() {
        PortOutRuleSet rules = new PortOutRuleSet(Rules.defaults(), Map.of(
                NO_PINS, Rules.with(Map.of("require-pin", "false", "check-pin", "false")),
                BUSINESS, Rules.with(Map.of("check-subscriber-name", "true"))));
        PortOutValidator validator = new PortOutValidator(DIRECTORY, () -> rules, TestSubscribers.pinEncoder());

        PortOutValidationRequest deli = request("10001", "9195550301");
        deli.setAccountNumber(NO_PINS);
        deli.setPin(null);
        assertThat(PortOutValidatorTest.codesOf(validator.validate(deli))).as("PIN not asked for").isEmpty();
        deli.setPin("123456");
        assertThat(PortOutValidatorTest.codesOf(validator.validate(deli))).as("PIN not compared").isEmpty();

        PortOutValidationRequest consumer = request("10001", "9195550201");
        consumer.setAccountNumber(CONSUMER);
        consumer.setPin(null);
        assertThat(PortOutValidatorTest.codesOf(validator.validate(consumer))).as("defaults").containsExactly(7512);

        PortOutValidationRequest business = request("27606", "9195550101");
        assertThat(PortOutValidatorTest.codesOf(validator.validate(business))).as("name required").containsExactly(7519);
        business.setSubscriberName("Acme Plumbing");
        assertThat(PortOutValidatorTest.codesOf(validator.validate(business))).isEmpty();
    }

    @Test
    void acceptableValuesAreOffByDefault() {
        PortOutValidationResponse denied = validate(Rules.defaults(), request("99999", "9195550101", "9195550999"));

        assertThat(denied.isPortable()).isFalse();
        assertThat(denied.getAcceptableValues()).isNull();
    }

    @Test
    void acceptableValuesCarryOnlyWhatTheOperatorAllowedAndNeverAPinOrAccount() throws Exception {
        PortOutValidationRequest request = request("99999", "9195550101", "9195550102", "9195550999");
        PortOutValidationResponse denied = validate(Rules.acceptable(PortOutProperties.AcceptableValue.TELEPHONE_NUMBERS,
                PortOutProperties.AcceptableValue.ZIP_CODE), request);

        assertThat(denied.getAcceptableValues().telephoneNumbers()).as("found and active only")
                .containsExactly("9195550101");
        assertThat(denied.getAcceptableValues().zipCode()).isEqualTo("27606-1234");
        assertThat(denied.getAcceptableValues().subscriberName()).as("not allowed").isNull();
        String xml = new XmlMapper().writeValueAsString(denied);
        assertThat(xml).contains("<AcceptableValues><ZipCode>27606-1234</ZipCode><TelephoneNumbers>"
                + "<TelephoneNumber>9195550101</TelephoneNumber></TelephoneNumbers></AcceptableValues>")
                .doesNotContain(PIN).doesNotContain(BUSINESS).doesNotContain("<Pin>").doesNotContain("<AccountNumber>");
    }

    @Test
    void aZipOrNameIsOnlyGivenWhenAllFoundNumbersShareIt() {
        PortOutValidationRequest twoSubscribers = request("99999", "9195550101", "9195550201");
        PortOutValidationResponse denied = validate(Rules.acceptable(PortOutProperties.AcceptableValue.ZIP_CODE,
                PortOutProperties.AcceptableValue.SUBSCRIBER_NAME), twoSubscribers);

        assertThat(denied.getAcceptableValues()).as("nothing left to send").isNull();
    }

    @Test
    void anApprovalNeverCarriesAcceptableValues() {
        PortOutValidationResponse approved = validate(Rules.acceptable(PortOutProperties.AcceptableValue.values()),
                request("27606", "9195550101"));

        assertThat(approved.isPortable()).isTrue();
        assertThat(approved.getAcceptableValues()).isNull();
    }

    private static List<Integer> codes(PortOutProperties rules, PortOutValidationRequest request) {
        return PortOutValidatorTest.codesOf(validate(rules, request));
    }

    private static PortOutValidationResponse validate(PortOutProperties rules, PortOutValidationRequest request) {
        return new PortOutValidator(DIRECTORY, rules, TestSubscribers.pinEncoder()).validate(request);
    }

    private static PortOutValidationRequest request(String zip, String... numbers) {
        PortOutValidationRequest request = new PortOutValidationRequest();
        request.setPon("WIN-1");
        request.setPin(PIN);
        request.setAccountNumber(BUSINESS);
        request.setZipCode(zip);
        request.setTelephoneNumbers(List.of(numbers));
        return request;
    }
}
