package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PortOutTimeBudgetTest {

    @Test
    void theShippedSettingsAndTheLongestThatFitAreAccepted() {
        assertThatCode(() -> PortOutTimeBudget.check(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .doesNotThrowAnyException();
        assertThatCode(() -> PortOutTimeBudget.check(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(3)))
                .doesNotThrowAnyException();
    }

    /** Each within its own bound (deadline at most 25 s, record timeout at most 4 s), but not together. */
    @Test
    void settingsThatTogetherOutlastBandwidthsThirtySecondsStopTheStartNamingAllThree() {
        assertThatThrownBy(() -> PortOutTimeBudget.check(Duration.ofSeconds(10), Duration.ofSeconds(25),
                Duration.ofMillis(4000)))
                .hasMessageContaining("numbers-router.webhook.body-read-timeout (10s)")
                .hasMessageContaining("numbers-router.portout.deadline (25s)")
                .hasMessageContaining("numbers-router.portout.audit.record-timeout (4s) = 39s")
                .hasMessageContaining("at most 28s");
    }
}
