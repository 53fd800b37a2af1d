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
 * the audit journal: what Bandwidth was told, when and why, with the PON and numbers of its body; marked when it had no
 * valid credentials (Bandwidth's own first request in the challenge flow has none, and so has a stranger's), and
 * such records are kept to 10 a second.
 */
class UnreadPortOutAuditTest {

    private static final String BANDWIDTH = BandwidthClient.basic("bandwidth", "its-secret");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final com.numbersrouter.support.MutableClock clock =
            new com.numbersrouter.support.MutableClock(java.time.Instant.parse("2026-11-28T12:00:00Z"));
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
        assertThat(recorded.authenticated()).isTrue();
    }

    /**
     * Bandwidth's first request of the challenge flow comes without credentials, and the filters' answer is final:
     * its PON and numbers are kept, marked as unauthenticated (a stranger may have written them), at most 10 numbers
     * that are numbers; a flood of such requests writes at most a burst of 10, then one a second.
     */
    @Test
    void withoutValidCredentialsThePonIsKeptMarkedAndAFloodIsHeldToOneASecond() {
        audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED);
        String numbers = IntStream.range(0, 30).mapToObj(n -> "<TelephoneNumber>" + (n == 0 ? "not a number"
                : "919555" + (1000 + n)) + "</TelephoneNumber>").collect(Collectors.joining());
        String first = Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", "NO-CREDENTIALS-1")
                .replaceFirst("(?s)<TelephoneNumbers>.*</TelephoneNumbers>",
                        "<TelephoneNumbers>" + numbers + "</TelephoneNumbers>");

        audit.answered(true, "at the in-flight bound", body(first), null);
        PortOutDecision recorded = awaitRecords(1).get(0);
        assertThat(recorded.pon()).isEqualTo("NO-CREDENTIALS-1");
        assertThat(recorded.telephoneNumbers()).hasSize(UnreadPortOutAudit.MAX_UNAUTHENTICATED_NUMBERS)
                .startsWith("9195551001").doesNotContain("not a number");
        assertThat(recorded.authenticated()).isFalse();
        assertThat(recorded.basis()).isEqualTo("fail-closed");

        for (int n = 0; n < 150; n++) {
            audit.answered(true, "at the in-flight bound", null, BandwidthClient.basic("bandwidth", "guessed"));
        }
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        for (int n = 0; n < 20; n++) {
            audit.answered(true, "at the in-flight bound", null, null);
        }

        // the burst (10, the first included), then one for the second that passed
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.find(null, null, null, 1000).size() == 11);
        assertThat(meters.counter("numbers.router.portout.unread.skipped", "why", "no-credentials").count())
                .isEqualTo(160);
        assertThat(meters.counter("numbers.router.portout.decisions.unrecorded").count())
                .as("fail-closed: the port-out waits for a person").isZero();
    }

    /** A fail-open answer (7599: the port proceeds) that the flood's limit keeps out of the journal pages. */
    @Test
    void aFailOpenAnswerKeptOutByTheLimitCountsAsUnrecorded() {
        audit = audit(PortOutGuardProperties.FailMode.FAIL_OPEN);

        for (int n = 0; n <= UnreadPortOutAudit.STRANGERS_BURST; n++) {
            audit.answered(true, "at the in-flight bound", null, null);
        }

        awaitRecords(UnreadPortOutAudit.STRANGERS_BURST);
        assertThat(meters.counter("numbers.router.portout.decisions.unrecorded").count()).isEqualTo(1);
    }

    /**
     * A stalled disk holds the writers; the answers still go out at once, and beyond the queue a record is dropped,
     * counted as unrecorded (the NumbersRouterPortOutDecisionsUnrecorded alert pages).
     */
    @Test
    void beyondItsQueueARecordIsDroppedAndCountedAsUnrecorded() throws Exception {
        java.util.concurrent.CountDownLatch disk = new java.util.concurrent.CountDownLatch(1);
        audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED, stalledUntil(disk));
        try {
            long started = System.nanoTime();
            for (int n = 0; n < UnreadPortOutAudit.WRITERS + UnreadPortOutAudit.QUEUE + 5; n++) {
                audit.answered(true, "at the in-flight bound", null, BANDWIDTH);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no caller waits for the disk")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(meters.counter("numbers.router.portout.unread.skipped", "why", "queue-full").count())
                    .isBetween(5.0, 5.0 + UnreadPortOutAudit.WRITERS);
            // each drop counted once (the journal has failed none yet: its record timeout is 4 s)
            assertThat(meters.counter("numbers.router.portout.decisions.unrecorded").count()).isEqualTo(
                    meters.counter("numbers.router.portout.unread.skipped", "why", "queue-full").count());
        } finally {
            disk.countDown();
        }
    }

    /** Queued records keep the time of their answer, not the time the writer got to them. */
    @Test
    void aQueuedRecordKeepsTheTimeOfItsAnswer() throws Exception {
        java.util.concurrent.CountDownLatch disk = new java.util.concurrent.CountDownLatch(1);
        audit = audit(PortOutGuardProperties.FailMode.FAIL_CLOSED, stalledUntil(disk));
        java.time.Instant answered = clock.instant();
        // every writer busy on a stalled disk: the last answer's record waits in the queue
        for (int n = 0; n <= UnreadPortOutAudit.WRITERS; n++) {
            audit.answered(true, "before any route served", null, BANDWIDTH);
        }
        clock.set(answered.plusSeconds(90));
        disk.countDown();

        assertThat(awaitRecords(UnreadPortOutAudit.WRITERS + 1)).allSatisfy(d ->
                assertThat(d.decidedAt()).isEqualTo(answered));
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

        // written by several threads: in any order
        List<PortOutDecision> recorded = awaitRecords(3);
        assertThat(recorded).filteredOn(d -> d.basis().equals("invalid-request")).singleElement().satisfies(d -> {
            assertThat(d.codes()).containsExactly(7598);
            assertThat(d.pon()).isNull();
        });
        assertThat(recorded).filteredOn(d -> d.basis().equals("fail-closed")).hasSize(2)
                .anySatisfy(d -> assertThat(d.pon()).as("not a readable request").isNull())
                .anySatisfy(d -> assertThat(d.telephoneNumbers()).hasSize(UnreadPortOutAudit.MAX_RECORDED_NUMBERS));
    }

    private List<PortOutDecision> awaitRecords(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.find(null, null, null, 10).size() >= count);
        List<PortOutDecision> recorded = journal.find(null, null, null, 10);
        assertThat(recorded).hasSize(count);
        return recorded;
    }

    /** A journal whose disk syncs hang until {@code disk} is counted down (within its 4 s record timeout). */
    private PortOutDecisionJournal stalledUntil(java.util.concurrent.CountDownLatch disk) {
        return new PortOutDecisionJournal(dir, Duration.ofDays(400), Duration.ofSeconds(4), clock,
                new PortOutDecisionJson(), meters, channel -> {
                    try {
                        disk.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    channel.force(true);
                });
    }

    private static byte[] body(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private UnreadPortOutAudit audit(PortOutGuardProperties.FailMode mode) {
        return audit(mode, new PortOutDecisionJournal(dir, Duration.ofDays(400), Duration.ofSeconds(2), "node-a",
                clock, new PortOutDecisionJson(), meters));
    }

    private UnreadPortOutAudit audit(PortOutGuardProperties.FailMode mode, PortOutDecisionJournal journal) {
        this.journal = journal;
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
        return new UnreadPortOutAudit(gatekeeper, journal, SafeXml.mapper(), credentials, meters, clock, nanos::get);
    }
}
