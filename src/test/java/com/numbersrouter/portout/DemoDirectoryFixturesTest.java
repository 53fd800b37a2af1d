package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import com.numbersrouter.xml.SafeXml;

/**
 * The payload fixtures against the shipped demo file, with the shipped defaults: what the end-to-end tests will
 * see when they post these files, caught here first if either side drifts.
 */
class DemoDirectoryFixturesTest {

    private static final Path DEMO_FILE = Path.of("config/subscribers.csv");

    private static PortOutValidator validator;

    @BeforeAll
    static void loadDemoDirectory() {
        PortOutProperties defaults = Rules.file(DEMO_FILE);
        validator = new PortOutValidator(new CsvSubscriberDirectory(DEMO_FILE), defaults,
                PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "valid.xml             | WIN-20250304-0042 | ''",
            "single-tn.xml         | WIN-20250304-0045 | ''",
            "e164.xml              | WIN-20250304-0046 | ''",
            "minimal-prolog.xml    | WIN-20250304-0047 | ''",
            "no-pin.xml            | WIN-20250304-0043 | 7512",
            "empty-pin.xml         | WIN-20250304-0044 | 7512",
            "wrong-pin.xml         | WIN-20250304-0048 | 7513",
            "multiple-failures.xml | WIN-20250304-0049 | 7513 7515",
            "unknown-number.xml    | WIN-20250304-0050 | 7516",
    })
    void fixtureGetsItsIntendedAnswer(String fixture, String pon, String codes) throws Exception {
        PortOutValidationRequest request = SafeXml.mapper()
                .readValue(PortOutXmlTest.fixture(fixture), PortOutValidationRequest.class);

        PortOutValidationResponse response = validator.validate(request);

        List<Integer> expected = codes.isBlank() ? List.of()
                : Arrays.stream(codes.split(" ")).map(Integer::valueOf).toList();
        assertThat(PortOutValidatorTest.codesOf(response)).isEqualTo(expected);
        assertThat(response.getPon()).isEqualTo(pon);
    }

    @Test
    void demoDirectoryHasTheDocumentedSubscribers() {
        CsvSubscriberDirectory demo = new CsvSubscriberDirectory(DEMO_FILE);

        assertThat(demo.size()).isEqualTo(5);
        assertThat(demo.find("9195550190")).get().returns(false, SubscriberRecord::active);
        assertThat(demo.find("9195550191")).get()
                .returns(false, SubscriberRecord::hasPin)
                .returns("ACCT-5550001", SubscriberRecord::accountNumber)
                .returns("10001", SubscriberRecord::zipCode);
        assertThat(demo.find("+442071838750")).isPresent();
    }
}
