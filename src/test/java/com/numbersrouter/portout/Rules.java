package com.numbersrouter.portout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.numbersrouter.portout.PortOutProperties.AcceptableValue;
import com.numbersrouter.portout.PortOutProperties.NameMatch;
import com.numbersrouter.portout.PortOutProperties.ZipCodeMatch;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Rule sets for tests, built by binding property names, so each test states only what it changes. */
final class Rules {

    private Rules() {
    }

    /** The shipped defaults (bound from the {@code @DefaultValue}s), with {@code overrides} applied. */
    static PortOutProperties with(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides))
                .bindOrCreate("", PortOutProperties.class);
    }

    static PortOutProperties defaults() {
        return with(Map.of());
    }

    static PortOutProperties required(boolean accountNumber, boolean pin, boolean zipCode) {
        return with(Map.of("require-account-number", String.valueOf(accountNumber), "require-pin",
                String.valueOf(pin), "require-zip-code", String.valueOf(zipCode)));
    }

    static PortOutProperties subscriberName(NameMatch match) {
        return with(Map.of("check-subscriber-name", "true", "subscriber-name-match", match.name()));
    }

    static PortOutProperties maxTelephoneNumbers(int max) {
        return with(Map.of("max-telephone-numbers", String.valueOf(max)));
    }

    static PortOutProperties zipPlus4() {
        return with(Map.of("zip-code-match", ZipCodeMatch.ZIP_PLUS_4.name()));
    }

    static PortOutProperties acceptable(AcceptableValue... values) {
        return with(Map.of("acceptable-values", String.join(",", List.of(values).stream().map(Enum::name).toList())));
    }

    static PortOutProperties file(Path subscribersFile) {
        return with(Map.of("subscribers-file", subscribersFile.toString()));
    }
}
