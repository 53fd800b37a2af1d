package com.numbersrouter.routes;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NUMBERS_ROUTER_SPOOL_FORWARD_EVERY=1S is one second to Spring, and 0 ms to the Camel timer of the spool forwarder,
 * which then fires once: the spool was never forwarded again. Such a value now stops the start, naming it.
 */
class TimerPeriodsTest {

    private static final String FORWARD_EVERY = "numbers-router.spool.forward-every";

    @ParameterizedTest
    @ValueSource(strings = {"1S", "PT1S"})
    void aDurationTheTimerWouldReadAsAnotherStopsTheStart(String written) {
        MockEnvironment environment = new MockEnvironment().withProperty(FORWARD_EVERY, written);

        assertThatThrownBy(() -> new TimerPeriods(environment, Map.of(FORWARD_EVERY, Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FORWARD_EVERY + "=" + written)
                .hasMessageContaining("lower-case unit");
    }

    @Test
    void aPeriodOfNothingStopsTheStart() {
        MockEnvironment environment = new MockEnvironment().withProperty(FORWARD_EVERY, "0s");

        assertThatThrownBy(() -> new TimerPeriods(environment, Map.of(FORWARD_EVERY, Duration.ZERO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FORWARD_EVERY + " must be positive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "1000", "1000ms"})
    void aDurationBothReadAlikePasses(String written) {
        MockEnvironment environment = new MockEnvironment().withProperty(FORWARD_EVERY, written);

        assertThatCode(() -> new TimerPeriods(environment, Map.of(FORWARD_EVERY, Duration.ofSeconds(1))))
                .doesNotThrowAnyException();
    }

    @Test
    void theShippedDefaultsPass() {
        assertThatCode(() -> new TimerPeriods(new MockEnvironment().withProperty(FORWARD_EVERY, "1s")
                        .withProperty("numbers-router.alerts.storm.window", "5m"),
                Map.of(FORWARD_EVERY, Duration.ofSeconds(1), "numbers-router.alerts.storm.window", Duration.ofMinutes(5))))
                .doesNotThrowAnyException();
    }
}
