package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds through Spring Boot's Binder (no application context) so the @DefaultValue annotations are what is tested. */
class PortOutAuditPropertiesTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PortOutAuditProperties properties = bind(Map.of());

        assertThat(properties.audit().directory()).isEqualTo(Path.of("data/portout-decisions"));
        assertThat(properties.audit().retention()).isEqualTo(Duration.ofDays(400));
        assertThat(properties.audit().recordTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.decisionsQueue()).isEqualTo("bandwidth.portout.decisions");
        assertThat(properties.decisionsTimeToLive()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.audit().nodeName()).as("the host's name").isNotBlank()
                .isEqualTo(HostName.local());
    }

    @Test
    void bindsKebabCaseOverridesBesideThePortOutRules() {
        PortOutAuditProperties properties = bind(Map.of(
                "numbers-router.portout.audit.directory", "/var/lib/numbers-router/decisions",
                "numbers-router.portout.audit.retention", "90d",
                "numbers-router.portout.decisions-queue", "crm.portout.decisions",
                "numbers-router.portout.audit.node-name", " router-east-1 ",
                "numbers-router.portout.require-pin", "false"));

        assertThat(properties.audit().directory()).isEqualTo(Path.of("/var/lib/numbers-router/decisions"));
        assertThat(properties.audit().retention()).isEqualTo(Duration.ofDays(90));
        assertThat(properties.decisionsQueue()).isEqualTo("crm.portout.decisions");
        assertThat(properties.audit().nodeName()).isEqualTo("router-east-1");
    }

    @Test
    void decisionsMayNeverExpireButNotExpireBeforeTheyAreSent() {
        assertThat(bind(Map.of("numbers-router.portout.decisions-time-to-live", "0")).decisionsTimeToLive()).isZero();
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.decisions-time-to-live", "-1h")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("decisions-time-to-live must be 0 (never) or more");
    }

    @Test
    void refusesARetentionShorterThanADay() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.audit.retention", "12h")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("retention must be at least 1d");
    }

    @Test
    void refusesARecordTimeoutThatCouldKeepTheAnswerPastBandwidthsThirtySeconds() {
        assertThat(bind(Map.of("numbers-router.portout.audit.record-timeout", "4s")).audit().recordTimeout())
                .isEqualTo(Duration.ofSeconds(4));
        for (String timeout : new String[] {"5s", "0s"}) {
            assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.audit.record-timeout", timeout)))
                    .as(timeout)
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("record-timeout must be more than 0 and at most 4s");
        }
    }

    private static PortOutAuditProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("numbers-router.portout", PortOutAuditProperties.class);
    }
}
