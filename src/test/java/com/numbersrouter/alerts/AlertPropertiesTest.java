package com.numbersrouter.alerts;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Alert addresses are checked when the node starts: camel-mail takes any text, and a typo would fail only at the
 * first event, then hold every alert behind it through an hour of retries.
 */
class AlertPropertiesTest {

    @Test
    void severalRecipientsAndTheDefaultsAreAccepted() {
        AlertProperties alerts = bind(Map.of("numbers-router.alerts.to", "noc@example.net, Ops Team <ops@example.net>"));

        assertThat(alerts.to()).isEqualTo("noc@example.net, Ops Team <ops@example.net>");
        assertThat(bind(Map.of()).from()).isEqualTo("numbers-router@localhost");
    }

    @Test
    void aMalformedRecipientStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.alerts.to", "noc@example.net; ops@example.net")))
                .hasStackTraceContaining("numbers-router.alerts.to (NUMBERS_ROUTER_ALERTS_TO) is not a list"
                        + " of e-mail addresses");
        assertThatThrownBy(() -> bind(Map.of("numbers-router.alerts.to", "noc at example.net")))
                .hasStackTraceContaining("numbers-router.alerts.to");
        assertThatThrownBy(() -> bind(Map.of("numbers-router.alerts.to", " ")))
                .hasStackTraceContaining("is empty");
    }

    @Test
    void theSenderIsOneAddress() {
        assertThatThrownBy(() -> bind(Map.of("numbers-router.alerts.from", "a@example.net,b@example.net")))
                .hasStackTraceContaining("must be one address");
    }

    private static AlertProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("numbers-router.alerts", AlertProperties.class);
    }
}
