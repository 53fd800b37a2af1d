package com.numbersrouter.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class DeadLetterPropertiesTest {

    @Test
    void aCountIntervalOfZeroStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> new DeadLetterProperties(List.of("ActiveMQ.DLQ"), List.of(), Duration.ZERO))
                .hasMessage("numbers-router.dead-letters.count-interval must be positive, not PT0S");
    }

    @Test
    void routeQueuesAreTrimmedAndBlanksLeftOut() {
        assertThat(new DeadLetterProperties(List.of("ActiveMQ.DLQ"), List.of(" crm.orders ", "", "billing"), Duration.ofMinutes(1))
                .routeQueues()).containsExactly("crm.orders", "billing");
        assertThat(new DeadLetterProperties(List.of("ActiveMQ.DLQ"), null, Duration.ofMinutes(1)).routeQueues()).isEmpty();
    }

    @Test
    void brokerQueuesAreTrimmedAndAtLeastOneIsNamed() {
        assertThat(new DeadLetterProperties(List.of(" ActiveMQ.DLQ.Queue.bandwidth.orders", "", "ActiveMQ.DLQ"), null,
                Duration.ofMinutes(1)).brokerQueues())
                .containsExactly("ActiveMQ.DLQ.Queue.bandwidth.orders", "ActiveMQ.DLQ");
        assertThatThrownBy(() -> new DeadLetterProperties(List.of(" "), null, Duration.ofMinutes(1)))
                .hasMessageStartingWith("numbers-router.dead-letters.broker-queue must name the broker's dead-letter queue");
    }
}
