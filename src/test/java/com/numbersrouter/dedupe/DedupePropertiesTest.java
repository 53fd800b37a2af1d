package com.numbersrouter.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DedupePropertiesTest {

    @Test
    void aMisspeltRepositoryStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> properties("jdbcc"))
                .hasMessage("numbers-router.dedupe.repository must be memory or jdbc, not 'jdbcc'");
        assertThatThrownBy(() -> properties("")).hasMessageContaining("not ''");
    }

    @Test
    void memoryAndJdbcAreAcceptedInAnyCaseAsSpringBootMatchesThem() {
        assertThat(properties("memory").repository()).isEqualTo("memory");
        assertThat(properties("JDBC").repository()).isEqualTo("JDBC");
    }

    private static DedupeProperties properties(String repository) {
        return new DedupeProperties(Duration.ofHours(24), Duration.ofMinutes(10), 1000, repository, Duration.ofSeconds(2));
    }
}
