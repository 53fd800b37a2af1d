package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator who sets the management port to the webhook port (or leaves {@code management.server.port} empty)
 * puts the actuator on the internet-facing port: its operator endpoints must still ask for the login there, and the
 * webhooks must still work as Bandwidth sends them.
 */
@IsolatedNode
@TestPropertySource(properties = {"management.server.port=", "spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class SharedPortManagementSecurityEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void theOperatorEndpointsAskForTheLoginOnTheWebhookPort() {
        Management stranger = Management.anonymous(port);
        Management operator = new Management(port);

        assertThat(stranger.status("/actuator/deadletters")).isEqualTo(401);
        assertThat(stranger.status("/actuator/portoutdecisions?since=1d")).isEqualTo(401);
        assertThat(stranger.status("/actuator/camelroutes")).isEqualTo(401);
        assertThat(stranger.health()).doesNotContain("components");
        assertThat(stranger.status("/actuator/health/readiness")).isEqualTo(200);
        assertThat(operator.status("/actuator/deadletters")).isEqualTo(200);
    }

    @Test
    void webhooksStillFollowBandwidthsChallengeFlow() {
        HttpResponse<String> challenge = BandwidthClient.anonymous(port).post("/webhooks/bandwidth", Orders.numbered(1));
        HttpResponse<String> order = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(2));

        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic realm=\"numbers-router\""));
        assertThat(order.statusCode()).isEqualTo(200);
    }
}
