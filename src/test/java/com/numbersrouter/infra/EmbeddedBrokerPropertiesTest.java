package com.numbersrouter.infra;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedBrokerPropertiesTest {

    @Test
    void thePropertiesNeverPrintEitherPassword() {
        EmbeddedBrokerProperties properties = new EmbeddedBrokerProperties(Path.of("data/activemq"), "tcp://0.0.0.0:61616",
                DataSize.ofMegabytes(16), DataSize.ofGigabytes(10), DataSize.ofGigabytes(1), "numbers-router",
                "node-secret", "esb", "esb-secret", List.of("bandwidth.orders"));

        assertThat(properties.toString()).contains("numbers-router", "esb", "bandwidth.orders")
                .doesNotContain("node-secret").doesNotContain("esb-secret");
    }
}
