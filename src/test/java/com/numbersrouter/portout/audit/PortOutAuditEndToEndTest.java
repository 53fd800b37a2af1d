package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.NodeTest;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The audit trail in the running node: a decision recorded in the journal reaches the real broker (through the
 * decisions feed and {@code routes/portout-audit.camel.yaml}) as JSON with properties an ESB selects on, and is what
 * an operator gets from {@code /actuator/portoutdecisions} on the management port.
 */
class PortOutAuditEndToEndTest extends NodeTest {

    private static final String DECISIONS = "bandwidth.portout.decisions";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    @Qualifier(PortOutAuditConfiguration.JOURNAL_BEAN)
    PortOutDecisionJournal journal;

    @LocalManagementPort
    int managementPort;

    @Test
    void aRecordedDecisionIsPublishedAsJsonWithSelectableProperties() throws Exception {
        String pon = "WIN-" + UUID.randomUUID();
        Instant decidedAt = Instant.parse("2025-03-04T10:15:30.123Z");
        PortOutDecision decision = new PortOutDecision(decidedAt, pon, List.of("9195550188", "+442071838750"), false,
                List.of(7513, 7515), "directory:csv", 14, "wrong", null, null, null);

        journal.record(decision);

        // An ESB's selector, on the types it would use: a boolean, a number and strings.
        Message message = BROKER.receive(DECISIONS, "PON = '" + pon + "' AND Portable = FALSE AND TelephoneNumberCount = 2"
                + " AND DecisionBasis = 'directory:csv' AND ErrorCodes = '7513,7515' AND PinCheck = 'wrong'"
                + " AND Authenticated = TRUE", 10_000);

        assertThat(message).isInstanceOf(TextMessage.class);
        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(message.getJMSCorrelationID()).isNull();
        assertThat(message.getJMSExpiration() - message.getJMSTimestamp())
                .as("numbers-router.portout.decisions-time-to-live, 7 days").isEqualTo(Duration.ofDays(7).toMillis());
        JsonNode body = JSON.readTree(((TextMessage) message).getText());
        assertThat(body.get("decidedAt").asText()).isEqualTo("2025-03-04T10:15:30.123Z");
        assertThat(body.get("pon").asText()).isEqualTo(pon);
        assertThat(body.get("telephoneNumbers").toString()).isEqualTo("[\"9195550188\",\"+442071838750\"]");
        assertThat(body.get("portable").asBoolean()).isFalse();
        assertThat(body.get("codes").toString()).isEqualTo("[7513,7515]");
        assertThat(body.get("basis").asText()).isEqualTo("directory:csv");
        assertThat(body.get("latencyMillis").asLong()).isEqualTo(14);
        assertThat(body.get("pinCheck").asText()).isEqualTo("wrong");
        // the node that decided: this host's name unless numbers-router.portout.audit.node-name says otherwise
        assertThat(message.getStringProperty("DecidedBy")).isNotBlank().isEqualTo(body.get("node").asText());
    }

    /** An answer given before the credentials were checked, without valid ones: a CRM selects it out. */
    @Test
    void anAnswerToARequestWithoutValidCredentialsIsPublishedMarked() throws Exception {
        String pon = "ANON-" + UUID.randomUUID();
        journal.record(new PortOutDecision(Instant.now(), pon, List.of("9195550188"), false, List.of(7598),
                "invalid-request", 0, null, "without valid credentials", null, false));

        Message message = BROKER.receive(DECISIONS, "PON = '" + pon + "' AND Authenticated = FALSE", 10_000);

        assertThat(message).isNotNull();
        assertThat(JSON.readTree(((TextMessage) message).getText()).get("authenticated").asBoolean(true)).isFalse();
    }

    @Test
    void aDecisionWithoutAPonIsPublishedWithoutThatProperty() throws Exception {
        String basis = "invalid-request";
        long latency = System.nanoTime(); // tells this decision apart from any other on the queue
        // earlier tests' invalid requests (on this shared node) left decisions the selector below would match
        BROKER.purge(DECISIONS);
        journal.record(new PortOutDecision(Instant.now(), null, List.of(), false, List.of(7598), basis, latency));

        Message message = BROKER.receive(DECISIONS, "PON IS NULL AND DecisionBasis = '" + basis + "' AND Portable = FALSE", 10_000);

        assertThat(message).isNotNull();
        assertThat(message.getStringProperty("ErrorCodes")).isEqualTo("7598");
        assertThat(message.getIntProperty("TelephoneNumberCount")).isZero();
        assertThat(JSON.readTree(((TextMessage) message).getText()).get("latencyMillis").asLong()).isEqualTo(latency);
    }

    @Test
    void anOperatorFindsARecordedDecisionByPonOrNumberOnTheManagementPort() throws Exception {
        String pon = "WIN-" + UUID.randomUUID();
        Instant decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        journal.record(new PortOutDecision(decidedAt, pon, List.of("+442071838750"), false, List.of(7513),
                "directory:csv", 9));

        JsonNode byPon = get("/actuator/portoutdecisions?pon=" + pon);
        assertThat(byPon.get("count").asInt()).isEqualTo(1);
        JsonNode found = byPon.get("decisions").get(0);
        assertThat(found.get("pon").asText()).isEqualTo(pon);
        assertThat(found.get("decidedAt").asText()).isEqualTo(decidedAt.toString());
        assertThat(found.get("telephoneNumbers").toString()).isEqualTo("[\"+442071838750\"]");
        assertThat(found.get("portable").asBoolean()).isFalse();
        assertThat(found.get("codes").toString()).isEqualTo("[7513]");
        assertThat(found.get("basis").asText()).isEqualTo("directory:csv");

        // the number as an operator types it, '+' unencoded (it arrives as a space) or encoded
        assertThat(pons(get("/actuator/portoutdecisions?since=1h&number=+44%2020%207183%208750&limit=5"))).contains(pon);
        assertThat(pons(get("/actuator/portoutdecisions?number=%2B442071838750&pon=" + pon))).containsExactly(pon);
        assertThat(get("/actuator/portoutdecisions?pon=" + pon + "&since=" + decidedAt.plusSeconds(1)).get("count").asInt())
                .isZero();
        assertThat(get("/actuator/portoutdecisions?pon=" + pon + "&until=" + decidedAt.minusSeconds(1)).get("count").asInt())
                .as("until: at or before").isZero();
        assertThat(pons(get("/actuator/portoutdecisions?pon=" + pon + "&until=" + decidedAt))).containsExactly(pon);
        assertThat(pons(get("/actuator/portoutdecisions?pon=" + pon + "&until=" + LocalDate.ofInstant(decidedAt,
                ZoneOffset.UTC)))).as("a day: to its end").containsExactly(pon);
    }

    @Test
    void aBadQueryIsA400ThatSaysWhy() {
        Management management = new Management(managementPort);

        HttpResponse<String> tooMany = management.send(management.request("/actuator/portoutdecisions?limit=5000").GET());
        HttpResponse<String> notANumber = management.send(management.request("/actuator/portoutdecisions?number=abc").GET());
        HttpResponse<String> badSince = management.send(management.request("/actuator/portoutdecisions?since=yesterday").GET());

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(badSince.statusCode()).isEqualTo(400);
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(new Management(managementPort).get(path));
    }

    private static List<String> pons(JsonNode result) {
        List<String> pons = new ArrayList<>();
        result.get("decisions").forEach(decision -> pons.add(decision.get("pon").asText()));
        return pons;
    }
}
