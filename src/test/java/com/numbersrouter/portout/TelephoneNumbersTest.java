package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TelephoneNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9195550188         | 9195550188",
            "19195550188        | 9195550188",
            "+19195550188       | 9195550188",
            "+1 (919) 555-0188  | 9195550188",
            "919.555.0188       | 9195550188",
            "' 919-555-0188 '   | 9195550188",
            "1-919-555-0188     | 9195550188",
            "+442071838750      | +442071838750",
            "+44 20 7183 8750   | +442071838750",
    })
    void normalisesToOneSpelling(String raw, String expected) {
        assertThat(TelephoneNumbers.normalize(raw)).contains(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "919555018", "919555018800", "29195550188", "+1919555018", "+0441234567",
            "+12345", "919-555-O188", "9195550188x12", "++19195550188", "+", "tel:+19195550188"})
    void rejectsWhatIsNotANumber(String raw) {
        assertThat(TelephoneNumbers.normalize(raw)).isEmpty();
    }
}
