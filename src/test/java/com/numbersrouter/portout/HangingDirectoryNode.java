package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A node whose subscriber directory is a database that does not answer in time (H2 standing in for the operator's
 * PostgreSQL; every row the lookup reads sleeps 10 ms in the database, and there are 100,000), with a 1 s deadline:
 * the fail-mode tests post a port-out to it and check what Bandwidth is told in time. The lookup itself is cut off
 * by its JDBC statement timeout (2 s), so none outlives the test.
 */
@IsolatedNode
@TestPropertySource(properties = {"numbers-router.portout.deadline=1s", "spring.mail.host=127.0.0.1",
        "spring.mail.port=9",
        "numbers-router.portout.subscriber-source=jdbc",
        "spring.datasource.url=jdbc:h2:mem:hanging-directory;DB_CLOSE_DELAY=-1;"
                + "INIT=CREATE ALIAS IF NOT EXISTS SLEEP FOR 'java.lang.Thread.sleep(long)'",
        "spring.datasource.username=sa",
        "numbers-router.portout.jdbc.query=SELECT CAST(? AS varchar) AS telephone_number, 'ACCT' AS account_number,"
                + " NULL AS pin_hash, '27606' AS zip_code, 'Acme' AS subscriber_name, TRUE AS active"
                + " FROM SYSTEM_RANGE(1, 100000) WHERE SLEEP(10) IS NULL",
        "numbers-router.portout.jdbc.query-timeout=2s"})
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
