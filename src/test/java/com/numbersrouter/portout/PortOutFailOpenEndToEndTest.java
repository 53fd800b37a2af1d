package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The port-out settings a carrier may choose instead of the defaults: fail-open (7599, on which Bandwidth lets the
 * port proceed, rather than holding it) and denying unauthenticated port-outs instead of challenging them.
 */
@TestPropertySource(properties = {"numbers-router.portout.fail-mode=fail-open",
        "numbers-router.portout.unauthenticated=deny"})
class PortOutFailOpenEndToEndTest extends HangingDirectoryNode {

    @Test
    void aDirectoryThatHangsGets7599WithinTheDeadline() throws Exception {
        PortOutValidationEndToEndTest.Answer answer = postValidRequest("SLOW-OPEN");

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7599");
        assertThat(recordedDecision("SLOW-OPEN").get("basis").asText()).isEqualTo("fail-open");
    }

    @Test
    void withUnauthenticatedDenyAPortOutWithoutCredentialsIsDeniedNotChallenged() throws Exception {
        HttpResponse<String> anonymous = BandwidthClient.anonymous(port)
                .post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/valid.xml"));

        assertThat(anonymous.statusCode()).as("a 401 Bandwidth does not follow up would approve").isEqualTo(200);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();
        PortOutValidationEndToEndTest.Answer answer = PortOutValidationEndToEndTest.Answer.parse(anonymous.body());
        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
        HttpResponse<String> order = BandwidthClient.anonymous(port)
                .post("/webhooks/bandwidth", Payloads.read("orders/order-complete.xml"));
        assertThat(order.statusCode()).as("other webhooks keep the challenge").isEqualTo(401);
    }
}
