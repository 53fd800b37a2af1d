package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The port-out endpoint as a fraud defence, over real HTTP with Bandwidth's challenge flow: PIN guessing locks the
 * number, Bandwidth's retries get the first answer and are recorded once, and every decision is in the audit
 * journal and on the decisions queue without the PIN.
 */
class PortOutFraudDefenceEndToEndTest extends NodeTest {

    private static final String PORTOUT = "/webhooks/bandwidth/portout-validation";
    private static final String DECISIONS = "bandwidth.portout.decisions";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry meters;

    @Test
    void fiveWrongPinsLockTheNumberSoThatEvenTheRightPinIsDenied() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        double lockoutsBefore = meters.counter("numbers.router.portout.lockouts").count();
        for (int i = 1; i <= 5; i++) {
            PortOutValidationEndToEndTest.Answer guess = post(withPon("portout/wrong-pin.xml", "GUESS-" + run + "-" + i));
            assertThat(guess.codes()).containsExactly("7513");
        }

        PortOutValidationEndToEndTest.Answer right = post(withPon("portout/valid.xml", "RIGHT-" + run));

        assertThat(right.portable()).isFalse();
        assertThat(right.codes()).containsExactly("7513");
        assertThat(decisions("RIGHT-" + run).get(0).get("basis").asText()).isEqualTo("lockout");
        assertThat(meters.counter("numbers.router.portout.lockouts").count()).isGreaterThan(lockoutsBefore);
        // a number nobody guessed at is still answered on its merits
        assertThat(post("""
                <PortOutValidationRequest><PON>DELI-%s</PON><AccountNumber>ACCT-5550001</AccountNumber>
                <ZipCode>10001</ZipCode><SubscriberName>Hudson Deli</SubscriberName><TelephoneNumbers><TelephoneNumber>9195550191</TelephoneNumber>
                </TelephoneNumbers></PortOutValidationRequest>""".formatted(run)).xml()).contains("<Portable>true</Portable>");
    }

    /**
     * The PIN is the account's: guesses spread over its numbers, five per number, would otherwise add up to a PIN
     * found in a day on an account of twenty lines.
     */
    @Test
    void wrongPinsForOneNumberLockTheOtherNumbersOfItsAccount() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 5; i++) {
            String guess = withPon("portout/wrong-pin.xml", "GUESS-" + run + "-" + i)
                    .replace("<TelephoneNumber>9195550189</TelephoneNumber>", "");
            assertThat(post(guess).codes()).containsExactly("7513");
        }

        // another number of the same account, with its right PIN
        PortOutValidationEndToEndTest.Answer right = post(withPon("portout/valid.xml", "OTHER-" + run)
                .replace("<TelephoneNumber>9195550188</TelephoneNumber>", ""));

        assertThat(right.portable()).isFalse();
        assertThat(right.codes()).containsExactly("7513");
        assertThat(decisions("OTHER-" + run).get(0).get("basis").asText()).isEqualTo("lockout");
        // an account nobody guessed at is still answered on its merits
        assertThat(post("""
                <PortOutValidationRequest><PON>DELI-%s</PON><AccountNumber>ACCT-5550001</AccountNumber>
                <ZipCode>10001</ZipCode><SubscriberName>Hudson Deli</SubscriberName><TelephoneNumbers><TelephoneNumber>9195550191</TelephoneNumber>
                </TelephoneNumbers></PortOutValidationRequest>""".formatted(run)).xml()).contains("<Portable>true</Portable>");
    }

    /** An operator who has verified the subscriber lifts the lock at once, instead of waiting 30 minutes. */
    @Test
    void anOperatorSeesTheLocksAndLiftsThemForANumberAndItsAccount() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 5; i++) {
            post(withPon("portout/wrong-pin.xml", "GUESS-" + run + "-" + i));
        }
        Management operator = new Management(managementPort);

        JsonNode locks = JSON.readTree(operator.get("/actuator/portoutlocks"));
        assertThat(locks.get("numbers")).extracting(n -> n.get("number").asText())
                .containsExactlyInAnyOrder("9195550188", "9195550189");
        assertThat(locks.get("numbers").get(0).get("codes").toString()).isEqualTo("[7513]");
        assertThat(locks.get("accounts").asInt()).isEqualTo(1);
        assertThat(locks.toString()).as("account numbers are not shown").doesNotContain("ACCT");

        HttpResponse<String> bad = operator.send(operator.request("/actuator/portoutlocks/not-a-number").DELETE());
        assertThat(bad.statusCode()).isEqualTo(400);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger endpointLog = (Logger) LoggerFactory.getLogger(PortOutLockEndpoint.class);
        endpointLog.addAppender(log);
        HttpResponse<String> lifted;
        try {
            lifted = operator.send(operator.request("/actuator/portoutlocks/%2B1%20919%20555%200188").DELETE());
        } finally {
            endpointLog.detachAppender(log);
        }
        assertThat(lifted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(lifted.body()).get("lifted").asInt()).as("the number's and its account's").isEqualTo(2);
        // who lifted which lock, for the investigator of a port-out fraud
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("9195550188").contains("lifted by operator");

        String only0188 = withPon("portout/valid.xml", "AFTER-" + run)
                .replace("<TelephoneNumber>9195550189</TelephoneNumber>", "");
        assertThat(post(only0188).portable()).as("decided afresh, with the right PIN").isTrue();
        assertThat(JSON.readTree(operator.get("/actuator/portoutlocks")).get("numbers"))
                .extracting(n -> n.get("number").asText()).containsExactly("9195550189");

        assertThat(operator.send(operator.request("/actuator/portoutlocks").DELETE()).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(operator.get("/actuator/portoutlocks")).get("numbers")).isEmpty();
    }

    @Test
    void bandwidthRetryingTheSameDeniedRequestGetsTheSameAnswerEachRecordedAsARepeat() throws Exception {
        String pon = "RETRY-" + UUID.randomUUID().toString().substring(0, 8);
        String request = withPon("portout/wrong-pin.xml", pon);

        double repeatedBefore = outcomes("repeated");
        double deniedBefore = outcomes("denied");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(post(request).xml());
        }
        // counted as one denial and seven repeats (each webhook's outcome is counted once its answer is written)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> outcomes("repeated") - repeatedBefore + outcomes("denied") - deniedBefore == 8);
        assertThat(outcomes("repeated") - repeatedBefore).isEqualTo(7);

        assertThat(answers).containsOnly(answers.get(0));
        assertThat(answers.get(0)).contains("<Code>7513</Code>");
        // every answer Bandwidth was given is in the audit: the first decision, and each repeat as such (newest first)
        List<JsonNode> recorded = decisions(pon);
        assertThat(recorded).hasSize(8);
        assertThat(recorded.get(7).get("basis").asText()).isEqualTo("directory:csv");
        assertThat(recorded.get(7).get("pinCheck").asText()).isEqualTo("wrong");
        assertThat(recorded.subList(0, 7)).allSatisfy(r -> assertThat(r.get("basis").asText()).isEqualTo("repeat"));
        // eight copies of one wrong guess are one guess: the right PIN is still accepted
        assertThat(post(withPon("portout/valid.xml", pon + "-OK")).portable()).isTrue();
    }

    @Test
    void everyDecisionIsJournaledAndPublishedWithoutThePinOrAccount() throws Exception {
        String pon = "AUDIT-" + UUID.randomUUID().toString().substring(0, 8);

        post(withPon("portout/multiple-failures.xml", pon));

        JsonNode decision = decisions(pon).get(0);
        assertThat(decision.get("portable").asBoolean()).isFalse();
        assertThat(decision.get("codes").toString()).contains("7513", "7515");
        assertThat(decision.get("basis").asText()).isEqualTo("directory:csv");
        assertThat(decision.get("latencyMillis").asLong()).isNotNegative();
        Message published = BROKER.receive(DECISIONS, "PON = '" + pon + "' AND Portable = FALSE", 10_000);
        assertThat(published).isInstanceOf(TextMessage.class);
        // published from the journal, not from the webhook's exchange: nothing that came with the webhook
        assertThat(published.propertyExists("Authorization")).isFalse();
        assertThat(published.propertyExists("Content_HYPHEN_Type")).isFalse();
        String text = ((TextMessage) published).getText();
        assertThat(JSON.readTree(text).get("codes").toString()).isEqualTo(decision.get("codes").toString());
        String sent = Payloads.read("portout/multiple-failures.xml");
        for (String secret : List.of(element(sent, "Pin"), element(sent, "AccountNumber"), element(sent, "ZipCode"))) {
            assertThat(text).doesNotContain(secret);
            assertThat(decision.toString()).doesNotContain(secret);
        }
    }

    @Test
    void anOversizedPortOutIsAnsweredAsAnInvalidRequestNever413() {
        String huge = "<PortOutValidationRequest><PON>" + "X".repeat(2 * 1024 * 1024) + "</PON></PortOutValidationRequest>";

        HttpResponse<String> response = bandwidth().post(PORTOUT, huge);

        assertThat(response.statusCode()).as("413 would approve the port-out").isEqualTo(200);
        assertThat(response.body()).contains("<Portable>false</Portable>").contains("<Code>7598</Code>");
    }

    private PortOutValidationEndToEndTest.Answer post(String xml) throws Exception {
        HttpResponse<String> response = bandwidth().post(PORTOUT, xml);
        assertThat(response.statusCode()).isEqualTo(200);
        return PortOutValidationEndToEndTest.Answer.parse(response.body());
    }

    private double outcomes(String outcome) {
        return meters.counter("numbers.router.webhooks", "type", "port-out-validation", "outcome", outcome).count();
    }

    private List<JsonNode> decisions(String pon) throws Exception {
        JsonNode result = JSON.readTree(new Management(managementPort).get("/actuator/portoutdecisions?pon=" + pon));
        List<JsonNode> found = new ArrayList<>();
        result.get("decisions").forEach(found::add);
        return found;
    }

    private static String withPon(String fixture, String pon) {
        return Payloads.read(fixture).replaceFirst("<PON>[^<]*</PON>", "<PON>" + pon + "</PON>");
    }

    private static String element(String xml, String name) {
        return xml.replaceAll("(?s).*<" + name + ">([^<]*)</" + name + ">.*", "$1");
    }
}
