package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds through Spring Boot's Binder (no application context) so the @DefaultValue annotations are what is tested. */
class JdbcSubscriberPropertiesTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        JdbcSubscriberProperties properties = bind(Map.of());

        assertThat(properties.query()).isEqualTo("SELECT telephone_number, account_number, pin_hash, zip_code, "
                + "subscriber_name, active FROM portout_subscribers WHERE telephone_number = ?");
        assertThat(properties.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void bindsKebabCaseOverrides() {
        JdbcSubscriberProperties properties = bind(Map.of(
                "numbers-router.portout.jdbc.query", "SELECT * FROM v_subscribers WHERE tn = ?",
                "numbers-router.portout.jdbc.query-timeout", "1500ms"));

        assertThat(properties.query()).isEqualTo("SELECT * FROM v_subscribers WHERE tn = ?");
        assertThat(properties.queryTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theQueryMustHaveExactlyOneParameterAtStartUp() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.jdbc.query", "SELECT * FROM subscribers")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("numbers-router.portout.jdbc.query must have exactly one ? (the telephone "
                        + "number); it has 0");
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.jdbc.query",
                "SELECT * FROM subscribers WHERE tn = ? OR alt_tn = ?")))
                .rootCause().hasMessageEndingWith("it has 2");
    }

    @Test
    void questionMarksInLiteralsAndCommentsAreNotParameters() {
        assertThat(JdbcSubscriberProperties.countParameters(
                "SELECT 'why?' AS \"what?\" -- really?\n FROM t /* ? */ WHERE tn = ? AND note <> 'it''s ?'"))
                .isEqualTo(1);
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.portout.jdbc.query-timeout", "0s")))
                .rootCause().hasMessageContaining("query-timeout must be positive");
    }

    private static JdbcSubscriberProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("numbers-router.portout.jdbc", JdbcSubscriberProperties.class);
    }
}
