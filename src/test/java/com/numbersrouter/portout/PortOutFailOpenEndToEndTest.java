package com.numbersrouter.portout;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Payloads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The port-out settings a carrier may choose instead of the defaults: fail-open (7599, on which Bandwidth lets the
 * port proceed, rather than holding it) and denying unauthenticated port-outs instead of challenging them.
 */
@TestPropertySource(properties = {"numbers-router.portout.fail-mode=fail-open",
        "numbers-router.portout.unauthenticated=deny"})
class PortOutFailOpenEndToEndTest extends HangingDirectoryNode {

    @Autowired
    MeterRegistry meters;

    @Test
    void aDirectoryThatHangsGets7599WithinTheDeadline() throws Exception {
        PortOutValidationEndToEndTest.Answer answer = postValidRequest("SLOW-OPEN");

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7599");
        assertThat(recordedDecision("SLOW-OPEN").get("basis").asText()).isEqualTo("fail-open");
    }

    @Test
    void withUnauthenticatedDenyAPortOutWithoutCredentialsIsDeniedNotChallenged() throws Exception {
        double portOutsUnauthenticated = webhooks("port-out-validation", "unauthenticated");
        double portOutsDecided = webhooks("port-out-validation", "approved") + webhooks("port-out-validation", "denied");
        double othersUnauthenticated = webhooks("unknown", "unauthenticated");
        HttpResponse<String> anonymous = BandwidthClient.anonymous(port)
                .post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/valid.xml")
                        .replace("WIN-20250304-0042", "ANON-DENIED"));

        assertThat(anonymous.statusCode()).as("a 401 Bandwidth does not follow up would approve").isEqualTo(200);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();
        PortOutValidationEndToEndTest.Answer answer = PortOutValidationEndToEndTest.Answer.parse(anonymous.body());
        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
        HttpResponse<String> order = BandwidthClient.anonymous(port)
                .post("/webhooks/bandwidth", Payloads.read("orders/order-complete.xml"));
        assertThat(order.statusCode()).as("other webhooks keep the challenge").isEqualTo(401);
        // each counted as what it was: the port-out as an unauthenticated port-out (not a decision), the order as an
        // unauthenticated webhook of a type not read yet
        await().atMost(5, TimeUnit.SECONDS).until(() -> webhooks("unknown", "unauthenticated") > othersUnauthenticated
                && webhooks("port-out-validation", "unauthenticated") > portOutsUnauthenticated);
        assertThat(webhooks("unknown", "unauthenticated")).isEqualTo(othersUnauthenticated + 1);
        assertThat(webhooks("port-out-validation", "unauthenticated")).isEqualTo(portOutsUnauthenticated + 1);
        assertThat(webhooks("port-out-validation", "approved") + webhooks("port-out-validation", "denied"))
                .as("denied unread, so not a decision").isEqualTo(portOutsDecided);
        // but in the audit, as the answers Bandwidth is given are, with why, and marked: without valid credentials its
        // PON and numbers may be a stranger's
        await().atMost(5, TimeUnit.SECONDS).until(() -> recordedDecision("ANON-DENIED") != null);
        JsonNode denied = recordedDecision("ANON-DENIED");
        assertThat(denied.get("basis").asText()).isEqualTo("invalid-request");
        assertThat(denied.get("reason").asText()).startsWith("without valid credentials");
        assertThat(denied.get("authenticated").asBoolean(true)).isFalse();
    }

    /**
     * Well-formed, but text where the numbers' elements belong: not a readable request, so 7598 (held for review), never the
     * fail mode's 7599 (which would let the port-out proceed); recorded in the audit like every answer.
     */
    @Test
    void aWellFormedRequestThatDoesNotMapIsInvalidNotFailOpen() throws Exception {
        double recorded = recordedDecisions();
        String odd = "<PortOutValidationRequest><PON>WIN-ODD-2</PON>"
                + "<TelephoneNumbers>9195550188<TelephoneNumber><A/></TelephoneNumber></TelephoneNumbers>"
                + "</PortOutValidationRequest>";

        // credentials on the first request: without them this node denies unread (unauthenticated=deny)
        HttpResponse<String> response = BandwidthClient.anonymous(port).post("/webhooks/bandwidth/portout-validation",
                odd.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/xml",
                "Authorization", BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD));

        assertThat(response.statusCode()).isEqualTo(200);
        PortOutValidationEndToEndTest.Answer answer = PortOutValidationEndToEndTest.Answer.parse(response.body());
        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
        assertThat(recordedDecisions()).isEqualTo(recorded + 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> webhooks("port-out-validation", "malformed") >= 1);
    }

    private double recordedDecisions() {
        return meters.find("numbers.router.portout.decisions").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double webhooks(String type, String outcome) {
        Counter counter = meters.find("numbers.router.webhooks").tag("type", type).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
