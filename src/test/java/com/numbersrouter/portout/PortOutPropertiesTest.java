package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds through Spring Boot's Binder (no application context) so the @DefaultValue annotations are what is tested. */
class PortOutPropertiesTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PortOutProperties properties = bind(Map.of());

        assertThat(properties.subscribersFile()).isEqualTo(Path.of("config/subscribers.csv"));
        assertThat(properties.requireAccountNumber()).isTrue();
        assertThat(properties.requirePin()).isTrue();
        assertThat(properties.requireZipCode()).isTrue();
        assertThat(properties.checkSubscriberName()).isFalse();
        assertThat(properties.maxTelephoneNumbers()).isEqualTo(100);
    }

    @Test
    void bindsKebabCaseOverrides() {
        PortOutProperties properties = bind(Map.of(
                "numbers-router.portout.subscribers-file", "/etc/numbers-router/subscribers.csv",
                "numbers-router.portout.require-pin", "false",
                "numbers-router.portout.check-subscriber-name", "true",
                "numbers-router.portout.max-telephone-numbers", "5"));

        assertThat(properties.subscribersFile()).isEqualTo(Path.of("/etc/numbers-router/subscribers.csv"));
        assertThat(properties.requirePin()).isFalse();
        assertThat(properties.requireAccountNumber()).isTrue();
        assertThat(properties.checkSubscriberName()).isTrue();
        assertThat(properties.maxTelephoneNumbers()).isEqualTo(5);
    }

    @Test
    void refusesAMaximumBelowOne() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.max-telephone-numbers", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("max-telephone-numbers must be at least 1");
    }

    private static PortOutProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("numbers-router.portout", PortOutProperties.class);
    }
}
