package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutGuardProperties;
import com.numbersrouter.portout.PortOutLockout;
import com.numbersrouter.portout.PortOutProperties;
import com.numbersrouter.portout.PortOutRepeats;
import com.numbersrouter.portout.PortOutValidator;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.xml.SafeXml;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * A port-out answered before the routes decided it (at a bound, too slow, oversize, refused for its credentials) is in
 * the audit journal: what Bandwidth was told and why, with its PON and numbers when its body came whole.
 */
class UnreadPortOutAuditTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @TempDir
    Path dir;
    private PortOutDecisionJournal journal;

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void theFailModesAnswerAtABoundIsRecordedWithThePonAndNumbersOfTheBody() {
        UnreadPortOutAudit audit = audit(PortOutGuardProperties.FailMode.FAIL_OPEN);

        audit.answered(true, "at the in-flight bound", Payloads.read("portout/valid.xml")
                .getBytes(StandardCharsets.UTF_8));

        PortOutDecision recorded = journal.find("WIN-20250304-0042", null, null, 10).get(0);
        assertThat(recorded.basis()).isEqualTo("fail-open");
        assertThat(recorded.codes()).containsExactly(7599);
        assertThat(recorded.reason()).isEqualTo("at the in-flight bound");
        assertThat(recorded.telephoneNumbers()).containsExactly("9195550188", "9195550189");
        assertThat(recorded.node()).isEqualTo("node-a");
    }

    @Test
    void anAnswerWithoutAReadableBodyIsRecordedWithoutPonAsAnInvalidRequest() {
        UnreadPortOutAudit audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED);

        audit.answered(false, "its body over numbers-router.webhook.max-body-size", null);
        audit.answered(true, "before any route served", "<PortOutValidationRequest><PON>".getBytes(StandardCharsets.UTF_8));

        List<PortOutDecision> recorded = journal.find(null, null, null, 10);
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).basis()).isEqualTo("invalid-request");
        assertThat(recorded.get(1).codes()).containsExactly(7598);
        assertThat(recorded.get(1).pon()).isNull();
        assertThat(recorded.get(1).reason()).isEqualTo("its body over numbers-router.webhook.max-body-size");
        assertThat(recorded.get(0).basis()).isEqualTo("fail-closed");
        assertThat(recorded.get(0).portable()).isFalse();
    }

    private UnreadPortOutAudit audit(PortOutGuardProperties.FailMode mode) {
        journal = new PortOutDecisionJournal(dir, Duration.ofDays(400), Duration.ofSeconds(2), "node-a",
                Clock.systemUTC(), new PortOutDecisionJson(), meters);
        PortOutProperties rules = new Binder(new MapConfigurationPropertySource(java.util.Map.of()))
                .bindOrCreate("", PortOutProperties.class);
        PortOutValidator validator = new PortOutValidator(number -> Optional.empty(), rules,
                PasswordEncoderFactories.createDelegatingPasswordEncoder());
        PortOutGatekeeper gatekeeper = new PortOutGatekeeper(validator,
                new PortOutLockout(new PortOutGuardProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(30)),
                        Clock.systemUTC(), meters),
                new PortOutRepeats(Duration.ofMinutes(45), Clock.systemUTC(), meters), mode, Duration.ofSeconds(5),
                Clock.systemUTC(), meters);
        return new UnreadPortOutAudit(gatekeeper, journal, SafeXml.mapper());
    }
}
