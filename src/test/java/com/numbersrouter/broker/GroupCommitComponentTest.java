package com.numbersrouter.broker;

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
    }
}
