package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Orders;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterRegistration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.web.context.WebApplicationContext;

/**
 * The management port as someone who reaches it without the operators' login sees it: health status, probes,
 * info and metrics (what orchestrators and scrapers need: MetricsEndToEndTest scrapes without a login), and nothing
 * else; and the webhook port untouched by the
 * management port's security.
 */
class ManagementPortSecurityEndToEndTest extends NodeTest {

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry meters;

    /** The main server's context: the webhook port's. */
    @Autowired
    WebApplicationContext webhookServer;

    @Test
    void probesHealthStatusAndInfoNeedNoLogin() {
        Management stranger = Management.anonymous(managementPort);

        assertThat(stranger.status("/actuator/health/liveness")).isEqualTo(200);
        assertThat(stranger.status("/actuator/health/readiness")).isEqualTo(200);
        assertThat(stranger.status("/actuator/info")).isEqualTo(200);
    }

    @Test
    void healthDetailsNeedTheOperatorsLogin() {
        String status = Management.anonymous(managementPort).health();
        String details = new Management(managementPort).health();

        assertThat(status).startsWith("{\"status\":\"").doesNotContain("components").doesNotContain("spool");
        assertThat(details).contains("\"components\"").contains("\"spool\"").contains("\"jms\"");
    }

    @Test
    void operatorEndpointsRefuseAStrangerWithTheChallenge() {
        Management stranger = Management.anonymous(managementPort);

        for (String path : new String[] {"/actuator/deadletters", "/actuator/portoutdecisions?since=30d",
                "/actuator/camelroutes", "/actuator/portoutlocks"}) {
            HttpResponse<String> answer = stranger.send(stranger.request(path).GET());
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path)
                    .hasValue("Basic realm=\"numbers-router management\"");
            assertThat(answer.body()).as(path).doesNotContain("bandwidth.").doesNotContain("WIN-");
        }
        HttpResponse<String> replay = stranger.send(stranger.request("/actuator/deadletters/bandwidth.unclassified")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(replay.statusCode()).isEqualTo(401);
        for (String path : new String[] {"/actuator/portoutlocks", "/actuator/portoutlocks/9195550188"}) {
            assertThat(stranger.send(stranger.request(path).DELETE()).statusCode()).as("DELETE " + path).isEqualTo(401);
        }
    }

    @Test
    void aWrongPasswordOrUsernameIsRefusedAndTheRightLoginLetsTheOperatorIn() {
        Management wrongPassword = Management.as(managementPort, Management.USERNAME, Management.PASSWORD + "x");
        Management wrongUsername = Management.as(managementPort, "admin", Management.PASSWORD);
        Management webhookLogin = Management.as(managementPort, BandwidthClient.USERNAME, BandwidthClient.PASSWORD);
        Management operator = new Management(managementPort);

        double refusedBefore = refusedLogins();

        assertThat(wrongPassword.status("/actuator/deadletters")).isEqualTo(401);
        assertThat(wrongUsername.status("/actuator/deadletters")).isEqualTo(401);
        assertThat(webhookLogin.status("/actuator/deadletters")).as("Bandwidth's login is not an operator's").isEqualTo(401);
        assertThat(refusedLogins() - refusedBefore).as("each refused login counted, for an alert").isEqualTo(3);
        assertThat(operator.status("/actuator/deadletters")).isEqualTo(200);
        assertThat(operator.get("/actuator/deadletters")).contains("bandwidth.unclassified");
        assertThat(operator.status("/actuator/camelroutes")).isEqualTo(200);
    }

    private double refusedLogins() {
        return meters.counter("numbers.router.management.logins.refused").count();
    }

    /** A cross-site form can only send form or text bodies: the one write operation takes JSON alone. */
    @Test
    void theReplayTakesJsonOnlySoACrossSiteFormCannotTriggerIt() {
        Management operator = new Management(managementPort);

        HttpResponse<String> form = operator.send(operator.request("/actuator/deadletters/bandwidth.unclassified")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(form.statusCode()).isEqualTo(415);
    }

    @Test
    void theWebhookPortGetsNoneOfTheManagementPortsSecurity() {
        HttpResponse<String> challenge = BandwidthClient.anonymous(port)
                .post("/webhooks/bandwidth", Orders.numbered(1));
        HttpResponse<String> order = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(2));

        // Bandwidth's challenge comes from the routes' own processor, with its realm, not from Spring Security
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic realm=\"numbers-router\""));
        assertThat(order.statusCode()).isEqualTo(200);
        // Spring Security's response headers would show its filters ran
        assertThat(order.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(order.headers().firstValue("X-Content-Type-Options")).isEmpty();
        assertThat(order.headers().firstValue("Set-Cookie")).isEmpty();
        // and not even its firewall sees the webhooks: the filter chain is not registered on the webhook port's server
        assertThat(webhookServer.getServletContext().getFilterRegistrations().values())
                .extracting(FilterRegistration::getClassName).isNotEmpty()
                .noneMatch(filter -> filter.startsWith("org.springframework.security."));
    }
}
