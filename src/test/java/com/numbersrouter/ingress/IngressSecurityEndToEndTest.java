package com.numbersrouter.ingress;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the open internet can throw at the webhook endpoint, over real HTTP. */
class IngressSecurityEndToEndTest extends NodeTest {

    private static final String ORDER = Payloads.read("orders/order-complete.xml");

    @BeforeEach
    void emptyQueues() {
        BROKER.drain(ORDERS);
        BROKER.drain(UNCLASSIFIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/bandwidth", "/webhooks/bandwidth/orders", "/webhooks/bandwidth/events",
            "/webhooks/bandwidth/portout-validation"})
    void requestWithoutCredentialsIsChallengedAndNotProcessed(String path) {
        HttpResponse<String> response = anonymous().post(path, ORDER);

        assertThat(response.statusCode()).isEqualTo(401);
        // the README's header, word for word: the charset tells a client to send a non-ASCII password as UTF-8
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"numbers-router\", charset=\"UTF-8\"");
        assertThat(BROKER.receive(ORDERS, null, 500)).isNull();
    }

    @Test
    void wrongCredentialsGetTheSameChallenge() {
        HttpResponse<String> response = anonymous().send(anonymous().request("/webhooks/bandwidth")
                .header("Authorization", BandwidthClient.basic(BandwidthClient.USERNAME, "wrong-password"))
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.body()).doesNotContain("wrong-password");
        assertThat(BROKER.receive(ORDERS, null, 500)).isNull();
    }

    @Test
    void challengeDoesNotEchoInboundHeaders() {
        HttpResponse<String> response = anonymous().send(anonymous().request("/webhooks/bandwidth")
                .header("X-Probe", "echo-me")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-Probe")).isEmpty();
    }

    @Test
    void everyConfiguredCredentialPairIsAccepted() {
        HttpResponse<String> response = BandwidthClient.bandwidth(port, "second-subscription", "another-secret")
                .post("/webhooks/bandwidth", ORDER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BROKER.receive(ORDERS)).isNotNull();
    }

    @Test
    void bodyOverTheLimitWithContentLengthIs413() {
        byte[] big = oversizeBody();

        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", big, "Content-Type", "application/xml");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(BROKER.receive(ORDERS, null, 500)).isNull();
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        byte[] big = oversizeBody();
        // ofInputStream has no known length, so the client sends it chunked, without Content-Length.
        HttpRequest.Builder request = bandwidth().request("/webhooks/bandwidth")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));

        HttpResponse<String> response = bandwidth().send(request);

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() throws JMSException {
        byte[] order = ORDER.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = bandwidth().request("/webhooks/bandwidth")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(order)));

        assertThat(bandwidth().send(request).statusCode()).isEqualTo(200);
        assertThat(((jakarta.jms.TextMessage) BROKER.receive(ORDERS)).getText()).isEqualTo(ORDER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid/not-well-formed.xml", "invalid/unknown-root.xml",
            "invalid/neither-order-nor-event.xml", "invalid/xxe-external-entity.xml", "invalid/billion-laughs.xml",
            "invalid/json.json"})
    void unusableBodiesGet400AndAreKeptForTheOperator(String fixture) throws JMSException {
        byte[] body = Payloads.bytes(fixture);

        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", body, "Content-Type", "application/xml");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(BROKER.receive(ORDERS, null, 300)).isNull();

        Message kept = BROKER.receive(UNCLASSIFIED);
        assertThat(kept).isInstanceOf(BytesMessage.class);
        BytesMessage bytes = (BytesMessage) kept;
        byte[] stored = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(stored);
        assertThat(stored).isEqualTo(body);
        assertThat(kept.getStringProperty("DeadLetterReason")).isEqualTo(response.body().trim());
    }

    @Test
    void doctypeIsRefusedAndNoEntityIsExpanded() {
        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", Payloads.read("invalid/xxe-external-entity.xml"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("DOCTYPE").doesNotContain("root:");
    }

    @Test
    void emptyBodyIs400() {
        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", new byte[0], "Content-Type", "application/xml");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("empty");
    }

    @Test
    void onlyPostIsServed() {
        HttpResponse<String> response = bandwidth().send(bandwidth().request("/webhooks/bandwidth").GET());

        assertThat(response.statusCode()).isIn(404, 405);
    }

    private static byte[] oversizeBody() {
        byte[] prefix = "<Notification><Message>".getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[1024 * 1024 + 100];
        Arrays.fill(big, (byte) 'a');
        System.arraycopy(prefix, 0, big, 0, prefix.length);
        return big;
    }
}
