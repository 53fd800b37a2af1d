package com.numbersrouter.ingress;

import java.time.Duration;
import java.util.Map;

import com.numbersrouter.support.BandwidthClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class BasicAuthChallengeTest {

    private static final WebhookProperties TWO_PAIRS = new WebhookProperties("bw", Map.of(
            "first", new WebhookProperties.Credential("alice", "first-secret"),
            "second", new WebhookProperties.Credential("bob", "second-secret")), DataSize.ofMegabytes(1), DataSize.ofMegabytes(16), Duration.ofSeconds(10), 200, 32);

    private final CamelContext camel = new DefaultCamelContext();
    private final BasicAuthChallenge challenge = new BasicAuthChallenge(WebhookCredentials.from(TWO_PAIRS, true), "bw");
    private static final byte[] DENIAL = "<PortOutValidationResponse><Portable>false</Portable></PortOutValidationResponse>"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /** numbers-router.portout.unauthenticated=deny */
    private final BasicAuthChallenge denying = new BasicAuthChallenge(WebhookCredentials.from(TWO_PAIRS, true), "bw", DENIAL);

    @Test
    void rightCredentialsPassUntouched() {
        Exchange exchange = request(BandwidthClient.basic("bob", "second-secret"));

        challenge.process(exchange);

        assertThat(exchange.isRouteStop()).isFalse();
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
    }

    @Test
    void missingMalformedOrWrongCredentialsAreChallengedAndStopped() {
        for (String authorization : new String[] {null, "", "Basic", "Basic !!!not-base64", "Bearer abc",
                BandwidthClient.basic("alice", "second-secret"), BandwidthClient.basic("alice", "first-secret2"),
                BandwidthClient.basic("alice", "")}) {
            Exchange exchange = request(authorization);

            challenge.process(exchange);

            assertThat(exchange.isRouteStop()).as(String.valueOf(authorization)).isTrue();
            assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
            assertThat(exchange.getMessage().getHeader("WWW-Authenticate", String.class)).startsWith("Basic realm=\"bw\"");
            assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
            assertThat(exchange.getMessage().getHeader("X-Probe")).isNull();
        }
    }

    /**
     * Bandwidth's first request carries no credentials: that 401 is normal. A configured username with a wrong
     * password means that subscription's webhooks are being lost; a username nobody configured is most likely a
     * stranger. Each is told apart in the outcome, and one WARN (not one a request) counts them, without them.
     */
    @Test
    void wrongCredentialsAreToldApartFromTheNormalChallengeAndWarnedOnce(CapturedOutput output) {
        Exchange first = request(null);
        challenge.process(first);
        assertThat(first.getVariable("webhookOutcome", String.class)).isEqualTo("unauthenticated");
        assertThat(output.getOut()).doesNotContain("wrong credentials");

        for (int n = 0; n < 3; n++) {
            Exchange wrong = request(BandwidthClient.basic("alice", "rotated-secret"));
            challenge.process(wrong);
            assertThat(wrong.getVariable("webhookOutcome", String.class)).isEqualTo("bad-credentials");
        }
        // the second pair's username with the first pair's password is still a known username
        Exchange crossed = request(BandwidthClient.basic("bob", "first-secret"));
        challenge.process(crossed);
        assertThat(crossed.getVariable("webhookOutcome", String.class)).isEqualTo("bad-credentials");
        Exchange stranger = request(BandwidthClient.basic("admin", "first-secret"));
        challenge.process(stranger);
        assertThat(stranger.getVariable("webhookOutcome", String.class)).isEqualTo("unknown-username");
        // answered alike: nothing in the answer tells a prober that a username exists
        for (String header : new String[] {Exchange.HTTP_RESPONSE_CODE, "WWW-Authenticate", Exchange.CONTENT_TYPE}) {
            assertThat(stranger.getMessage().getHeader(header)).as(header)
                    .isEqualTo(crossed.getMessage().getHeader(header));
        }
        assertThat(stranger.getMessage().getBody(String.class)).isEqualTo(crossed.getMessage().getBody(String.class));

        String log = output.getOut();
        assertThat(log.split("webhook\\(s\\) with wrong credentials answered 401", -1)).hasSize(2);
        assertThat(log).contains("WARN").doesNotContain("rotated-secret").doesNotContain("first-secret")
                .doesNotContain("alice").doesNotContain("bob").doesNotContain("admin");
    }

    /** Bandwidth joins username and password at the first colon: a configured username that holds one is known too. */
    @Test
    void aConfiguredUsernameWithAColonIsKnown() {
        WebhookCredentials credentials = WebhookCredentials.from(new WebhookProperties("bw", Map.of(
                "odd", new WebhookProperties.Credential("tenant:7", "secret")), DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(16), Duration.ofSeconds(10), 200, 32), true);

        assertThat(credentials.accepts("tenant:7:secret")).isTrue();
        assertThat(credentials.knowsUsername("tenant:7:wrong")).isTrue();
        assertThat(credentials.knowsUsername("tenant:8:secret")).isFalse();
        assertThat(credentials.knowsUsername("tenant")).isFalse();
        assertThat(credentials.knowsUsername("")).isFalse();
    }

    @Test
    void whenSoConfiguredAnUnauthenticatedPortOutIsDeniedWith200InsteadOfA401ThatWouldApproveIt() {
        Exchange portOut = request(null);
        portOut.setVariable("webhookEntry", BasicAuthChallenge.PORT_OUT_ENTRY);
        Exchange order = request(null);
        order.setVariable("webhookEntry", "orders");

        denying.process(portOut);
        denying.process(order);

        assertThat(portOut.isRouteStop()).as("not processed").isTrue();
        assertThat(portOut.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(portOut.getMessage().getBody()).isEqualTo(DENIAL);
        assertThat(portOut.getMessage().getHeader("WWW-Authenticate")).isNull();
        assertThat(order.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).as("other webhooks").isEqualTo(401);
    }

    /** Posted to the generic URL, a port-out is told by its root: denied alike, and its 401 counted as a port-out's. */
    @Test
    void aPortOutOnTheGenericUrlIsKnownByItsRootElement() {
        Exchange denied = request(null);
        denied.getMessage().setBody("<?xml version=\"1.0\"?><PortOutValidationRequest><PON>P-1</PON></PortOutValidationRequest>");
        Exchange challenged = request(null);
        challenged.getMessage().setBody("<PortOutValidationRequest><PON>P-2</PON></PortOutValidationRequest>");
        Exchange order = request(null);
        order.getMessage().setBody("<Notification><OrderId>o-1</OrderId></Notification>");

        denying.process(denied);
        challenge.process(challenged);
        challenge.process(order);

        assertThat(denied.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(denied.getMessage().getBody()).isEqualTo(DENIAL);
        assertThat(challenged.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(challenged.getVariable("webhookType")).isEqualTo("PORT_OUT_VALIDATION");
        assertThat(order.getVariable("webhookType")).as("typed only once classified, after auth").isNull();
    }

    @Test
    void schemeIsCaseInsensitive() {
        Exchange exchange = request(BandwidthClient.basic("alice", "first-secret").replace("Basic", "bAsIc"));

        challenge.process(exchange);

        assertThat(exchange.isRouteStop()).isFalse();
    }

    @Test
    void withNoCredentialsConfiguredAPasswordIsGeneratedAndLoggedOnce(CapturedOutput output) {
        WebhookCredentials generated = WebhookCredentials.from(new WebhookProperties("bw",
                Map.of("primary", new WebhookProperties.Credential("", "")), DataSize.ofMegabytes(1), DataSize.ofMegabytes(16), Duration.ofSeconds(10), 200, 32), true);

        String log = output.getOut();
        String password = log.replaceAll("(?s).*password '([^']+)'.*", "$1");
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(generated.accepts("bandwidth:" + password)).isTrue();
        assertThat(generated.accepts("bandwidth:")).isFalse();
        assertThat(log.split(password, -1)).hasSize(2);
    }

    @Test
    void credentialToStringHidesThePassword() {
        assertThat(TWO_PAIRS.credentials().get("first").toString()).doesNotContain("first-secret");
    }

    private Exchange request(String authorization) {
        Exchange exchange = new DefaultExchange(camel);
        if (authorization != null) {
            exchange.getMessage().setHeader("Authorization", authorization);
        }
        exchange.getMessage().setHeader("X-Probe", "echo");
        return exchange;
    }
}
