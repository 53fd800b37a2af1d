package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.numbersrouter.ingress.WebhookCredentials;
import com.numbersrouter.ingress.WebhookProperties;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutGuardProperties;
import com.numbersrouter.portout.PortOutLockout;
import com.numbersrouter.portout.PortOutProperties;
import com.numbersrouter.portout.PortOutRepeats;
import com.numbersrouter.portout.PortOutValidator;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.xml.SafeXml;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.util.unit.DataSize;

/**
 * A port-out answered before the routes decided it (at a bound, too slow, oversize, refused for its credentials) is in
 * the audit journal: what Bandwidth was told and why; its PON and numbers only when it came whole with valid
 * credentials, since anyone can post a body.
 */
class UnreadPortOutAuditTest {

    private static final String BANDWIDTH = BandwidthClient.basic("bandwidth", "its-secret");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    @TempDir
    Path dir;
    private PortOutDecisionJournal journal;
    private UnreadPortOutAudit audit;

    @AfterEach
    void close() throws InterruptedException {
        audit.close();
        journal.close();
    }

    @Test
    void theFailModesAnswerToBandwidthAtABoundIsRecordedWithThePonAndNumbersOfItsBody() {
        audit = audit(PortOutGuardProperties.FailMode.FAIL_OPEN);

        audit.answered(true, "at the in-flight bound", body(Payloads.read("portout/valid.xml")), BANDWIDTH);

        PortOutDecision recorded = awaitRecords(1).get(0);
        assertThat(recorded.pon()).isEqualTo("WIN-20250304-0042");
        assertThat(recorded.basis()).isEqualTo("fail-open");
        assertThat(recorded.codes()).containsExactly(7599);
        assertThat(recorded.reason()).isEqualTo("at the in-flight bound");
        assertThat(recorded.telephoneNumbers()).containsExactly("9195550188", "9195550189");
        assertThat(recorded.node()).isEqualTo("node-a");
    }

    /** A stranger's body names whatever PON and numbers it likes: none of it is recorded, and one a second at most. */
    @Test
    void withoutValidCredentialsNothingOfTheBodyIsRecordedAndAtMostOneASecond() {
        audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        String made = Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", "FORGED-1");

        audit.answered(true, "at the in-flight bound", body(made), null);
        audit.answered(true, "at the in-flight bound", body(made), BandwidthClient.basic("bandwidth", "guessed"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        audit.answered(true, "at the in-flight bound", body(made), BandwidthClient.basic("bandwidth", "guessed"));

        List<PortOutDecision> recorded = awaitRecords(2);
        assertThat(recorded).allSatisfy(decision -> {
            assertThat(decision.pon()).isNull();
            assertThat(decision.telephoneNumbers()).isEmpty();
            assertThat(decision.basis()).isEqualTo("fail-closed");
            assertThat(decision.reason()).isEqualTo("at the in-flight bound; no valid credentials: PON and numbers not"
                    + " recorded");
        });
        assertThat(meters.counter("numbers.router.portout.unread.skipped", "why", "no-credentials").count())
                .isEqualTo(1);
    }

    @Test
    void anAnswerWithoutAReadableBodyIsRecordedWithoutPonAndALongListIsCut() {
        audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        String numbers = IntStream.range(0, 500).mapToObj(n -> "<TelephoneNumber>919555" + (1000 + n)
                + "</TelephoneNumber>").collect(Collectors.joining());
        String many = Payloads.read("portout/valid.xml").replaceFirst("(?s)<TelephoneNumbers>.*</TelephoneNumbers>",
                "<TelephoneNumbers>" + numbers + "</TelephoneNumbers>");

        audit.answered(false, "its body over numbers-router.webhook.max-body-size", null, BANDWIDTH);
        audit.answered(true, "before any route served", body("<PortOutValidationRequest><PON>"), BANDWIDTH);
        audit.answered(true, "before any route served", body(many), BANDWIDTH);

        List<PortOutDecision> recorded = awaitRecords(3);
        assertThat(recorded.get(2).basis()).isEqualTo("invalid-request");
        assertThat(recorded.get(2).codes()).containsExactly(7598);
        assertThat(recorded.get(2).pon()).isNull();
        assertThat(recorded.get(1).basis()).isEqualTo("fail-closed");
        assertThat(recorded.get(1).pon()).as("not a readable request").isNull();
        assertThat(recorded.get(0).telephoneNumbers()).hasSize(UnreadPortOutAudit.MAX_RECORDED_NUMBERS);
    }

    private List<PortOutDecision> awaitRecords(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.find(null, null, null, 10).size() >= count);
        List<PortOutDecision> recorded = journal.find(null, null, null, 10);
        assertThat(recorded).hasSize(count);
        return recorded;
    }

    private static byte[] body(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private UnreadPortOutAudit audit(PortOutGuardProperties.FailMode mode) {
        journal = new PortOutDecisionJournal(dir, Duration.ofDays(400), Duration.ofSeconds(2), "node-a",
                Clock.systemUTC(), new PortOutDecisionJson(), meters);
        PortOutProperties rules = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("", PortOutProperties.class);
        PortOutValidator validator = new PortOutValidator(number -> Optional.empty(), rules,
                PasswordEncoderFactories.createDelegatingPasswordEncoder());
        PortOutGatekeeper gatekeeper = new PortOutGatekeeper(validator,
                new PortOutLockout(new PortOutGuardProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(30)),
                        Clock.systemUTC(), meters),
                new PortOutRepeats(Duration.ofMinutes(45), Clock.systemUTC(), meters), mode, Duration.ofSeconds(5),
                Clock.systemUTC(), meters);
        WebhookCredentials credentials = WebhookCredentials.from(new WebhookProperties("bw",
                Map.of("primary", new WebhookProperties.Credential("bandwidth", "its-secret")), DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(16), Duration.ofSeconds(10), 200, 32), false);
        return new UnreadPortOutAudit(gatekeeper, journal, SafeXml.mapper(), credentials, meters, nanos::get);
    }
}
