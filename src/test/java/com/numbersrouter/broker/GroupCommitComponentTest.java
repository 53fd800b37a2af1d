package com.numbersrouter.broker;

import java.time.Duration;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route step's URI: Camel finds the component by its scheme, and a mistyped URI is refused with the fix. */
class GroupCommitComponentTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void queuesAndTopicsResolveByScheme() {
        assertThat(camel.getEndpoint("jms-group-commit:queue:bandwidth.orders"))
                .isInstanceOf(GroupCommitComponent.DestinationEndpoint.class);
        assertThat(camel.getEndpoint("jms-group-commit:topic:esb.bandwidth.orders"))
                .isInstanceOf(GroupCommitComponent.DestinationEndpoint.class);
    }

    @Test
    void aUriWithoutQueueOrTopicIsRefusedWithTheRightForm() {
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:bandwidth.orders"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("jms-group-commit:queue:<name> or jms-group-commit:topic:<name>");
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }

    @Test
    void optionsAreRefusedBecauseTheySitInTheNodesSettings() {
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:bandwidth.orders?deliveryPersistent=false"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("numbers-router.broker.group-commit");
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:bandwidth.orders?timeToLive=7d&priority=9"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("priority");
    }

    @Test
    void aTimeToLiveIsReadAsSpringBootReadsADurationAndNoneNeverExpires() {
        assertThat(timeToLive("jms-group-commit:queue:bandwidth.orders")).isZero();
        assertThat(timeToLive("jms-group-commit:queue:bandwidth.portout.decisions?timeToLive=7d")).isEqualTo(Duration.ofDays(7));
        assertThat(timeToLive("jms-group-commit:queue:a?timeToLive=P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(timeToLive("jms-group-commit:queue:b?timeToLive=90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(timeToLive("jms-group-commit:queue:c?timeToLive=60000")).as("milliseconds, as camel-jms")
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(timeToLive("jms-group-commit:queue:d?timeToLive=0")).isZero();
    }

    @Test
    void aTimeToLiveThatIsNoDurationIsRefusedRatherThanReadAsNeverExpire() {
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:a?timeToLive=a week"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("timeToLive=a week is not a duration");
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:c?timeToLive=999999999999d"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> camel.getEndpoint("jms-group-commit:queue:b?timeToLive=-1d"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("must not be negative");
    }

    private Duration timeToLive(String uri) {
        return ((GroupCommitComponent.DestinationEndpoint) camel.getEndpoint(uri)).timeToLive();
    }
}
