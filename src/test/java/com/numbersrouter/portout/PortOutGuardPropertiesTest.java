package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Bound through Spring Boot's Binder, so the documented defaults are the ones the node runs with. */
class PortOutGuardPropertiesTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PortOutGuardProperties guard = bind(Map.of());

        assertThat(guard.deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(guard.failMode()).isEqualTo(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        assertThat(guard.repeatWindow()).isEqualTo(Duration.ofMinutes(45));
        assertThat(guard.lockout().maxFailures()).isEqualTo(5);
        assertThat(guard.lockout().window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(guard.lockout().duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(guard.unauthenticated()).isEqualTo(PortOutGuardProperties.Unauthenticated.CHALLENGE);
        assertThat(guard.effectivePinChecksAtOnce()).isPositive();
    }

    @Test
    void bindsTheDocumentedSpellings() {
        PortOutGuardProperties guard = bind(Map.of("numbers-router.portout.fail-mode", "fail-open",
                "numbers-router.portout.unauthenticated", "deny", "numbers-router.portout.lockout.max-failures", "3",
                "numbers-router.portout.pin-checks-at-once", "4", "numbers-router.portout.deadline", "2s"));

        assertThat(guard.failMode()).isEqualTo(PortOutGuardProperties.FailMode.FAIL_OPEN);
        assertThat(guard.unauthenticated()).isEqualTo(PortOutGuardProperties.Unauthenticated.DENY);
        assertThat(guard.lockout().maxFailures()).isEqualTo(3);
        assertThat(guard.effectivePinChecksAtOnce()).isEqualTo(4);
        assertThat(guard.deadline()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aDeadlineBandwidthWouldNotWaitForIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.deadline", "30s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("between 0 and 25s");
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.lockout.max-failures", "0")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("at least 1");
    }

    private static PortOutGuardProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("numbers-router.portout", PortOutGuardProperties.class);
    }
}
