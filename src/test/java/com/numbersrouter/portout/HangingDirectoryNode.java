package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A node whose subscriber directory never answers (a database that hangs), with a 1 s deadline: the fail-mode
 * tests post a port-out to it and check what Bandwidth is told in time.
 */
@IsolatedNode
@Import(HangingDirectoryNode.HangingDirectory.class)
@TestPropertySource(properties = {"numbers-router.portout.deadline=1s", "spring.mail.host=127.0.0.1",
        "spring.mail.port=9"})
abstract class HangingDirectoryNode {

    private static final TestBroker BROKER = TestBroker.start("portout-hanging-broker");
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    @TestConfiguration
    static class HangingDirectory {
        @Bean
        @Primary
        SubscriberDirectory hangingDirectory() {
            return new Hanging();
        }
    }

    /** Every lookup waits until the node is closed (Spring calls close()), so no lookup thread outlives it. */
    static final class Hanging implements SubscriberDirectory, AutoCloseable {

        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public Optional<SubscriberRecord> find(String normalisedTn) {
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** With the credentials on the first request, as Bandwidth sends them once set up for port-out validation. */
    PortOutValidationEndToEndTest.Answer postValidRequest(String pon) throws Exception {
        String xml = Payloads.read("portout/valid.xml").replaceFirst("<PON>[^<]*</PON>", "<PON>" + pon + "</PON>");
        HttpResponse<String> response = BandwidthClient.anonymous(port).post("/webhooks/bandwidth/portout-validation",
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/xml; charset=utf-8",
                "Authorization", BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD));
        assertThat(response.statusCode()).isEqualTo(200);
        return PortOutValidationEndToEndTest.Answer.parse(response.body());
    }

    JsonNode recordedDecision(String pon) throws Exception {
        return JSON.readTree(new Management(managementPort).get("/actuator/portoutdecisions?pon=" + pon))
                .get("decisions").get(0);
    }
}
