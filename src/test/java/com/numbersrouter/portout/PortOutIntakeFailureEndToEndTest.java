package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A failure in the shared intake, before a port-out reaches its own route (an operator's added step, say, that copies
 * every webhook to a queue of theirs while the broker is down), must still be answered 200 with the fail mode's
 * answer: Bandwidth approves a port-out on any 4xx or 5xx. Here an edited {@code webhook-intake} fails after
 * authentication for every webhook carrying the marker {@code FAIL-INTAKE}: with an IllegalStateException, or with a
 * JMSException (what a broker outage raises, answered 503 for a notification).
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class PortOutIntakeFailureEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("portout-intake-failure-broker");
    private static final Path ROUTES = routesWithAFailingIntakeStep();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.routes.directory", ROUTES::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/bandwidth/portout-validation", "/webhooks/bandwidth"})
    void aPortOutIsAnsweredWithTheFailModeWhenTheIntakeFails(String url) {
        for (String failure : new String[] {"FAIL-INTAKE-STATE", "FAIL-INTAKE-JMS"}) {
            String request = Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", failure);

            HttpResponse<String> answer = BandwidthClient.bandwidth(port).post(url, request);

            assertThat(answer.statusCode()).as("%s on %s", failure, url).isEqualTo(200);
            assertThat(answer.body()).as("%s on %s", failure, url).contains("<Portable>false</Portable>")
                    .contains("<Code>7598</Code>")
                    .doesNotContain("operator step");
        }
    }

    @Test
    void aNotificationStillGets500Or503SoThatNobodyTakesItForStored() {
        HttpResponse<String> state = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth",
                Orders.numbered(1).replace("</OrderId>", "FAIL-INTAKE-STATE</OrderId>"));
        HttpResponse<String> jms = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth",
                Orders.numbered(2).replace("</OrderId>", "FAIL-INTAKE-JMS</OrderId>"));
        HttpResponse<String> fine = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(3));

        assertThat(state.statusCode()).isEqualTo(500);
        assertThat(jms.statusCode()).isEqualTo(503);
        assertThat(fine.statusCode()).isEqualTo(200);
    }

    /**
     * The URL does not make a notification a port-out: one posted to the port-out URL (a subscription set up with the
     * wrong URL) that fails once classified gets a notification's 503, not a port-out answer.
     */
    @Test
    void anOrderOnThePortOutUrlThatCannotBeStoredIsStill503() {
        HttpResponse<String> order = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth/portout-validation",
                Orders.numbered(4).replace("</OrderId>", "FAIL-CLASSIFIED-JMS</OrderId>"));
        HttpResponse<String> portOut = BandwidthClient.bandwidth(port).post("/webhooks/bandwidth/portout-validation",
                Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", "FAIL-CLASSIFIED-JMS"));

        assertThat(order.statusCode()).isEqualTo(503);
        assertThat(order.body()).doesNotContain("PortOutValidationResponse");
        // a port-out failing at the same step: its own route's error handling never ran, and it still gets 200
        assertThat(portOut.statusCode()).isEqualTo(200);
        assertThat(portOut.body()).contains("<Portable>false</Portable>").contains("<Code>7598</Code>");
    }

    /** The shipped routes, with steps added to webhook-intake after the credentials are checked and after the classifier. */
    private static Path routesWithAFailingIntakeStep() {
        Path routes = TempFolders.copyOf(Path.of("routes"));
        Path ingress = routes.resolve("ingress.camel.yaml");
        try {
            String shipped = Files.readString(ingress);
            String anchor = """
                        - process:
                            ref: basicAuthChallenge
                """;
            String failing = anchor + """
                        - setVariable:
                            name: testMarker
                            simple: "${bodyAs(String)}"
                        - choice:
                            when:
                              - simple: "${variable.testMarker} contains 'FAIL-INTAKE-STATE'"
                                steps:
                                  - throwException:
                                      exceptionType: java.lang.IllegalStateException
                                      message: "operator step failed"
                              - simple: "${variable.testMarker} contains 'FAIL-INTAKE-JMS'"
                                steps:
                                  - throwException:
                                      exceptionType: jakarta.jms.JMSException
                                      message: "operator step: broker unavailable"
                """;
            String classified = """
                        - bean:
                            ref: webhookClassifier
                            method: classify
                """;
            String failingAfter = classified + """
                        - filter:
                            simple: "${variable.testMarker} contains 'FAIL-CLASSIFIED-JMS'"
                            steps:
                              - throwException:
                                  exceptionType: jakarta.jms.JMSException
                                  message: "operator step: broker unavailable"
                """;
            assertThat(shipped).contains(anchor).contains(classified);
            Files.writeString(ingress, shipped.replace(anchor, failing).replace(classified, failingAfter));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }
}
