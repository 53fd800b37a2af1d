package com.numbersrouter.portout.audit;

import com.numbersrouter.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.portout.PortOutDecision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

class PortOutDecisionJournalTest {

    private static final Instant MARCH_4 = Instant.parse("2025-03-04T10:15:30Z");
    /** Long enough that a test holding a force is never timed out by a busy machine; the stall tests set their own. */
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(30);
    /** The record timeout of the stall tests, and how long a record may take to give up, on a busy machine. */
    private static final Duration STALL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STALL_BOUND = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(MARCH_4);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<PortOutDecisionJournal> opened = new ArrayList<>();
    /** Threads for records that wait on a force the test holds. */
    private final ExecutorService recorders = Executors.newFixedThreadPool(3);

    @AfterEach
    void closeJournals() {
        recorders.shutdownNow();
        opened.forEach(PortOutDecisionJournal::close);
    }

    @Test
    void eachDecisionIsOneJsonLineInTheDaysFile() throws IOException {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));

        journal.record(decision("WIN-1", List.of("9195550188", "+442071838750"), false, List.of(7513, 7515)));
        journal.record(decision("WIN-2", List.of("9195550100"), true, List.of()));

        List<String> lines = Files.readAllLines(dir.resolve("decisions-2025-03-04.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("decidedAt").asText()).isEqualTo("2025-03-04T10:15:30Z");
        assertThat(first.get("pon").asText()).isEqualTo("WIN-1");
        assertThat(first.get("telephoneNumbers").toString()).isEqualTo("[\"9195550188\",\"+442071838750\"]");
        assertThat(first.get("portable").asBoolean()).isFalse();
        assertThat(first.get("codes").toString()).isEqualTo("[7513,7515]");
        assertThat(first.get("basis").asText()).isEqualTo("directory:csv");
        assertThat(first.get("latencyMillis").asLong()).isEqualTo(12);
        assertThat(first.fieldNames()).toIterable().containsExactly("decidedAt", "pon", "telephoneNumbers",
                "portable", "codes", "basis", "latencyMillis", "pinCheck", "reason", "node", "authenticated");
        assertThat(first.get("node").asText()).as("the node that recorded it").isNotBlank();
    }

    /** Lines written before a record named its PIN check, reason and node read back, those fields empty. */
    @Test
    void aLineWrittenBeforeTheNewerFieldsReadsBack() throws IOException {
        Files.writeString(dir.resolve("decisions-2025-03-04.jsonl"), "{\"decidedAt\":\"2025-03-04T09:00:00Z\","
                + "\"pon\":\"OLD-1\",\"telephoneNumbers\":[\"9195550188\"],\"portable\":true,\"codes\":[],"
                + "\"basis\":\"directory:csv\",\"latencyMillis\":3}\n");
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));

        PortOutDecision old = journal.find("OLD-1", null, null, 10).get(0);

        assertThat(old.portable()).isTrue();
        assertThat(old.pinCheck()).isNull();
        assertThat(old.node()).isNull();
    }

    @Test
    void findReturnsTheMostRecentFirstAcrossDays() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        recordAt(journal, "2025-03-03T23:59:59Z", "WIN-1");
        recordAt(journal, "2025-03-04T00:00:01Z", "WIN-2");
        journal.record(decision("WIN-3"));
        recordAt(journal, "2025-03-06T08:00:00Z", "WIN-4");

        assertThat(dir.resolve("decisions-2025-03-03.jsonl")).isRegularFile();
        assertThat(dir.resolve("decisions-2025-03-04.jsonl")).isRegularFile();
        assertThat(dir.resolve("decisions-2025-03-06.jsonl")).isRegularFile();
        assertThat(pons(journal.find(null, null, null, 100))).containsExactly("WIN-4", "WIN-3", "WIN-2", "WIN-1");
    }

    /** An investigator pages back past the limit: each page ends where the next begins, that decision repeated. */
    @Test
    void untilPagesBackAcrossDaysAndSkipsNewerDaysUnread() throws IOException {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        recordAt(journal, "2025-03-03T10:00:00Z", "WIN-1");
        recordAt(journal, "2025-03-04T10:00:00Z", "WIN-2");
        recordAt(journal, "2025-03-04T11:00:00Z", "WIN-3");
        recordAt(journal, "2025-03-06T08:00:00Z", "WIN-4");
        List<PortOutDecision> first = journal.find(null, null, null, 2);
        assertThat(pons(first)).containsExactly("WIN-4", "WIN-3");
        // a newer day that cannot be read at all: a query until an earlier time must never open it
        Files.createDirectory(dir.resolve("decisions-2025-03-07.jsonl"));

        List<PortOutDecision> next = journal.find(null, null, null, first.get(1).decidedAt(), 2);

        assertThat(pons(next)).containsExactly("WIN-3", "WIN-2");
        assertThat(pons(journal.find(null, null, null, next.get(1).decidedAt(), 2))).containsExactly("WIN-2", "WIN-1");
    }

    @Test
    void limitKeepsTheNewestAndStopsReadingOlderDays() throws IOException {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        for (int n = 1; n <= 5; n++) {
            journal.record(decision("WIN-" + n));
        }
        // An older "day file" that cannot be read at all: a query satisfied by newer days must never open it.
        Files.createDirectory(dir.resolve("decisions-2025-03-01.jsonl"));

        assertThat(pons(journal.find(null, null, null, 2))).containsExactly("WIN-5", "WIN-4");
        assertThat(pons(journal.find(null, null, Instant.parse("2025-03-02T00:00:00Z"), 100))).hasSize(5);
    }

    @Test
    void readsNewestFirstAcrossManyBlocksOfOneFile() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        // about 170 KB: several 64 KB blocks, so lines are cut across block boundaries
        for (int n = 0; n < 1500; n++) {
            journal.record(decision("WIN-" + n, List.of("9195550188", "9195550189", "9195550190"), false, List.of(7513)));
        }

        List<String> pons = pons(journal.find(null, null, null, 1000));

        List<String> expected = new ArrayList<>();
        for (int n = 1499; n >= 500; n--) {
            expected.add("WIN-" + n);
        }
        assertThat(pons).containsExactlyElementsOf(expected);
        assertThat(pons(journal.find("WIN-0", null, null, 10))).containsExactly("WIN-0");
    }

    @Test
    void filtersByPon() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        journal.record(decision("WIN-1"));
        journal.record(decision("WIN-10"));
        journal.record(decision("WIN-1"));
        journal.record(decision(null));

        assertThat(journal.find("WIN-1", null, null, 100)).hasSize(2).allMatch(d -> d.pon().equals("WIN-1"));
        assertThat(journal.find("WIN-\"quoted\"", null, null, 100)).isEmpty();
        assertThat(journal.find(null, null, null, 100)).hasSize(4);
    }

    @Test
    void filtersByNumberWrittenAnyWay() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        journal.record(decision("WIN-NANP", List.of("9195550188"), true, List.of()));
        journal.record(decision("WIN-UK", List.of("+442071838750"), true, List.of()));
        journal.record(decision("WIN-BOTH", List.of("9195550199", "+442071838750"), true, List.of()));

        for (String spelling : List.of("9195550188", "19195550188", "+1 (919) 555-0188", "919.555.0188")) {
            assertThat(pons(journal.find(null, spelling, null, 100))).as(spelling).containsExactly("WIN-NANP");
        }
        assertThat(pons(journal.find(null, "+44 20 7183 8750", null, 100))).containsExactly("WIN-BOTH", "WIN-UK");
        assertThat(pons(journal.find("WIN-UK", "+442071838750", null, 100))).containsExactly("WIN-UK");
        assertThatThrownBy(() -> journal.find(null, "not-a-number", null, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sinceLeavesOutOlderDecisions() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        recordAt(journal, "2025-03-01T12:00:00Z", "WIN-OLD");
        recordAt(journal, "2025-03-04T09:00:00Z", "WIN-EARLY");
        recordAt(journal, "2025-03-04T11:00:00Z", "WIN-LATE");

        assertThat(pons(journal.find(null, null, Instant.parse("2025-03-04T10:00:00Z"), 100))).containsExactly("WIN-LATE");
        assertThat(pons(journal.find(null, null, Instant.parse("2025-03-02T00:00:00Z"), 100)))
                .containsExactly("WIN-LATE", "WIN-EARLY");
    }

    @Test
    void retentionDeletesExpiredDayFilesAtStartUpAndWhenTheDayRollsOver() throws IOException {
        for (String day : List.of("2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04")) {
            Files.writeString(dir.resolve("decisions-" + day + ".jsonl"), "");
        }
        Files.writeString(dir.resolve("notes.txt"), "not a day file");
        clock.set(Instant.parse("2025-03-04T10:00:00Z"));

        // 30 days back is 2025-02-02T10:00Z: 1 February ended before that, 2 February did not.
        PortOutDecisionJournal journal = journal(Duration.ofDays(30));

        assertThat(dayFiles()).containsExactly("decisions-2025-02-02.jsonl", "decisions-2025-02-03.jsonl",
                "decisions-2025-02-04.jsonl");
        assertThat(dir.resolve("notes.txt")).isRegularFile();

        journal.record(decision("WIN-1"));
        recordAt(journal, "2025-03-05T00:00:05Z", "WIN-2");

        assertThat(dayFiles()).containsExactly("decisions-2025-02-03.jsonl", "decisions-2025-02-04.jsonl",
                "decisions-2025-03-04.jsonl", "decisions-2025-03-05.jsonl");
    }

    /**
     * A host whose clock runs years ahead (started before its time is synchronised, a bad time server) must not
     * delete the journal: counted from that clock, every file is older than the retention, and the audit trail of
     * disputed port-outs would be gone for good. Not at start-up, not when the wrong clock's day rolls over (the file
     * it wrote is then the newest but one), and not once the clock is right again; then the files expired by the
     * right clock go as usual, and the wrong clock's files stay, with a WARN.
     */
    @Test
    void aClockYearsAheadDeletesNothingAndOnceRightAgainOnlyWhatHasExpired() throws IOException {
        for (String day : List.of("2025-01-20", "2025-02-10", "2025-03-01", "2025-03-03")) {
            Files.writeString(dir.resolve("decisions-" + day + ".jsonl"), "");
        }
        clock.set(Instant.parse("2036-02-07T06:28:16Z"));

        PortOutDecisionJournal journal = journal(Duration.ofDays(30));
        journal.record(decision("WIN-AHEAD"));
        recordAt(journal, "2036-02-08T00:00:05Z", "WIN-AHEAD-NEXT-DAY");
        assertThat(dayFiles()).as("nothing deleted while the clock is ahead").containsExactly(
                "decisions-2025-01-20.jsonl", "decisions-2025-02-10.jsonl", "decisions-2025-03-01.jsonl",
                "decisions-2025-03-03.jsonl", "decisions-2036-02-07.jsonl", "decisions-2036-02-08.jsonl");

        clock.set(Instant.parse("2025-03-04T09:00:00Z")); // right again: 30 days back is 2025-02-02T09:00Z
        journal.record(decision("WIN-NOW"));

        assertThat(dayFiles()).containsExactly("decisions-2025-02-10.jsonl", "decisions-2025-03-01.jsonl",
                "decisions-2025-03-03.jsonl", "decisions-2025-03-04.jsonl", "decisions-2036-02-07.jsonl",
                "decisions-2036-02-08.jsonl");
        assertThat(journal.forcedMark().day()).as("the mark goes back with the day").isEqualTo(LocalDate.parse("2025-03-04"));
        assertThat(pons(journal.find(null, null, null, 10))).contains("WIN-NOW", "WIN-AHEAD", "WIN-AHEAD-NEXT-DAY");
    }

    @Test
    void concurrentRecordsAreWholeLines() throws Exception {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        int threads = 8;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < each; n++) {
                        journal.record(decision("WIN-" + thread + "-" + n,
                                List.of("9195550188", "+442071838750"), false, List.of(7513, 7515)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> lines = Files.readAllLines(dir.resolve("decisions-2025-03-04.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(threads * each);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            assertThat(mapper.readTree(line).get("pon").asText()).startsWith("WIN-");
        }
        assertThat(journal.find(null, null, null, 500)).hasSize(500);
        assertThat(journal.find("WIN-7-99", null, null, 10)).hasSize(1);
    }

    @Test
    void aLineCutShortIsNeverARecordAndDoesNotSwallowTheNext() throws IOException {
        Path today = dir.resolve("decisions-2025-03-04.jsonl");
        PortOutDecisionJournal first = journal(Duration.ofDays(400));
        first.record(decision("WIN-1"));
        first.close();
        // a crash in the middle of writing the second line
        Files.writeString(today, "{\"decidedAt\":\"2025-03-04T10:15:30Z\",\"pon\":\"WIN-TORN", StandardOpenOption.APPEND);

        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        assertThat(pons(journal.find(null, null, null, 100))).containsExactly("WIN-1");

        journal.record(decision("WIN-3"));

        assertThat(pons(journal.find(null, null, null, 100))).containsExactly("WIN-3", "WIN-1");
        assertThat(Files.readAllLines(today)).hasSize(3);
    }

    @Test
    void aFailedWriteThrowsWithoutTheDecisionsValues() throws IOException {
        Path volume = dir.resolve("volume");
        PortOutDecisionJournal journal = journal(volume, Duration.ofDays(400));
        // the directory vanishes under the node (an unmounted volume) and something else takes its name
        Files.delete(volume);
        Files.writeString(volume, "");

        assertThatThrownBy(() -> journal.record(decision("WIN-SECRET-PON", List.of("9195550188"), false, List.of(7513))))
                .isInstanceOf(PortOutDecisionJournal.JournalWriteException.class)
                .hasMessageContaining("decisions-2025-03-04.jsonl")
                .message().doesNotContain("WIN-SECRET-PON").doesNotContain("9195550188");
        assertThat(meters.find("numbers.router.portout.decisions").counter()).isNull();
        assertThat(meters.get("numbers.router.portout.decisions.unrecorded").counter().count()).isEqualTo(1.0);
    }

    @Test
    void countsRecordedDecisionsByAnswerAndBasis() {
        PortOutDecisionJournal journal = journal(Duration.ofDays(400));
        journal.record(decision("WIN-1", List.of("9195550188"), false, List.of(7513)));
        journal.record(decision("WIN-2", List.of("9195550188"), false, List.of(7513)));
        journal.record(decision("WIN-3", List.of("9195550188"), true, List.of()));

        assertThat(meters.get("numbers.router.portout.decisions").tag("portable", "false").tag("basis", "directory:csv")
                .counter().count()).isEqualTo(2.0);
        assertThat(meters.get("numbers.router.portout.decisions").tag("portable", "true").tag("basis", "directory:csv")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void recordsGatherBehindAForceInProgressAndReturnOnlyOnceOneCoversThem() throws Exception {
        HeldForce force = new HeldForce(false);
        PortOutDecisionJournal journal = journal(force);
        List<Future<?>> records = recordWhileTheFirstForceIsHeld(journal, force, "WIN-1", "WIN-2", "WIN-3");

        // all three lines are written, and no record has returned: none is on disk yet
        assertThat(records).noneMatch(Future::isDone);

        force.release.countDown();
        for (Future<?> record : records) {
            record.get(10, TimeUnit.SECONDS);
        }
        // the first line's force, then one for the two that gathered behind it
        assertThat(force.calls.get()).isEqualTo(2);
    }

    @Test
    void aFailedForceFailsEveryRecordItCoveredAndTheNextRecordReopensTheFile() throws Exception {
        HeldForce force = new HeldForce(true);
        PortOutDecisionJournal journal = journal(force);
        List<Future<?>> records = recordWhileTheFirstForceIsHeld(journal, force, "WIN-1", "WIN-2");

        force.release.countDown();

        assertNotRecorded(records);
        assertThat(meters.get("numbers.router.portout.decisions.unrecorded").counter().count()).isEqualTo(2.0);
        // The second line was written after the failed force began, but is failed with it rather than forced again:
        // after a failed sync, a second one can succeed without the lost pages.
        assertThat(force.calls.get()).isEqualTo(1);

        journal.record(decision("WIN-3"));

        assertThat(force.calls.get()).isEqualTo(2);
        assertThat(meters.get("numbers.router.portout.decisions").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aLineLeftUnforcedInAClosedFileIsNeverReportedRecordedByAForceOfTheNextFile() throws Exception {
        HeldForce force = new HeldForce(false);
        PortOutDecisionJournal journal = journal(force);
        List<Future<?>> records = recordWhileTheFirstForceIsHeld(journal, force, "WIN-1", "WIN-2");
        // The file is closed under the waiting second line (as a failed write closes it), and a third decision opens
        // it again: the next force is of the new file, and must not count the second line as forced.
        journal.close();
        Future<?> third = recorders.submit(() -> journal.record(decision("WIN-3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> lineCount() == 3);

        force.release.countDown();

        assertNotRecorded(records);
        third.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onAStalledDiskEachRecordGivesUpWithinItsTimeoutAndTheJournalRecoversWithTheDisk() throws Exception {
        StalledDisk disk = new StalledDisk();
        PortOutDecisionJournal journal = journal(disk, STALL_TIMEOUT);
        disk.stall();

        // The first record starts the force that hangs; the second finds it running and must not wait behind it.
        for (String pon : List.of("WIN-1", "WIN-2")) {
            givesUpInTime(journal, pon).hasMessageContaining("not forced to disk within 500ms")
                    .hasMessageContaining("decisions-2025-03-04.jsonl").hasMessageContaining("may still reach the disk");
        }
        assertThat(disk.stalledCalls.get()).as("one force at a time: the hung one").isEqualTo(1);
        assertThat(meters.find("numbers.router.portout.decisions").counter()).isNull();

        disk.recover();

        assertTimeoutPreemptively(STALL_BOUND, () -> journal.record(decision("WIN-3")));
        // The lines of the records that gave up were written, and reached the disk with the next force.
        assertThat(pons(journal.find(null, null, null, 10))).containsExactly("WIN-3", "WIN-2", "WIN-1");
        assertThat(journal.forcedMark().bytes()).isEqualTo(Files.size(dir.resolve("decisions-2025-03-04.jsonl")));
        assertThat(meters.get("numbers.router.portout.decisions").counter().count()).isEqualTo(1.0);
    }

    /** No port-out may come for hours: the lines written during the stall must not wait for one to be forced. */
    @Test
    void theLinesOfRecordsThatGaveUpAreForcedOnceTheDiskRecoversWithoutAnotherRecord() throws Exception {
        StalledDisk disk = new StalledDisk();
        PortOutDecisionJournal journal = journal(disk, STALL_TIMEOUT);
        disk.stall();
        for (String pon : List.of("WIN-1", "WIN-2")) {
            givesUpInTime(journal, pon);
        }

        disk.recover();

        Path file = dir.resolve("decisions-2025-03-04.jsonl");
        await().atMost(10, TimeUnit.SECONDS).until(() -> journal.forcedMark().bytes() == Files.size(file));
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void aStalledDiskAtTheNewDayDoesNotHangTheRecordsThatRollOver() throws Exception {
        StalledDisk disk = new StalledDisk();
        PortOutDecisionJournal journal = journal(disk, STALL_TIMEOUT);
        journal.record(decision("WIN-1"));
        disk.stall();
        clock.set(Instant.parse("2025-03-05T00:00:05Z"));

        // yesterday's file is forced before today's lines count: that sync hangs, not the records
        for (String pon : List.of("WIN-2", "WIN-3")) {
            givesUpInTime(journal, pon).hasMessageContaining("decisions-2025-03-05.jsonl");
        }

        disk.recover();

        assertTimeoutPreemptively(STALL_BOUND, () -> journal.record(decision("WIN-4")));
        assertThat(Files.readAllLines(dir.resolve("decisions-2025-03-04.jsonl"))).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("decisions-2025-03-05.jsonl"))).hasSize(3);
        assertThat(journal.forcedMark()).isEqualTo(new PortOutDecisionJournal.ForcedMark(
                java.time.LocalDate.parse("2025-03-05"), Files.size(dir.resolve("decisions-2025-03-05.jsonl"))));
    }

    /** Records {@code pon} on a stalled disk: it must give up, with a timeout, within the bound. */
    private AbstractThrowableAssert<?, ? extends Throwable> givesUpInTime(PortOutDecisionJournal journal, String pon) {
        return assertTimeoutPreemptively(STALL_BOUND, () -> assertThatThrownBy(() -> journal.record(decision(pon)))
                .isInstanceOf(PortOutDecisionJournal.JournalTimeoutException.class), pon);
    }

    private static void assertNotRecorded(List<Future<?>> records) {
        for (Future<?> record : records) {
            assertThatThrownBy(() -> record.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(PortOutDecisionJournal.JournalWriteException.class)
                    .hasMessageContaining("not recorded");
        }
    }

    /** The first decision's record starts the force that {@code force} holds; the others are written behind it. */
    private List<Future<?>> recordWhileTheFirstForceIsHeld(PortOutDecisionJournal journal, HeldForce force,
            String... pons) throws InterruptedException {
        List<Future<?>> records = new ArrayList<>();
        records.add(recorders.submit(() -> journal.record(decision(pons[0]))));
        assertThat(force.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int n = 1; n < pons.length; n++) {
            String pon = pons[n];
            records.add(recorders.submit(() -> journal.record(decision(pon))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lineCount() == pons.length);
        return records;
    }

    /** Holds the first force until released (then fails it, if asked); every later force succeeds at once. */
    private static final class HeldForce implements PortOutDecisionJournal.ChannelForce {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        private final boolean failFirst;

        HeldForce(boolean failFirst) {
            this.failFirst = failFirst;
        }

        @Override
        public void force(java.nio.channels.FileChannel channel) throws IOException {
            if (calls.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (failFirst) {
                    throw new IOException("Input/output error");
                }
            }
            channel.force(true);
        }
    }

    /** A disk that syncs at once until {@link #stall()}, then hangs every sync until {@link #recover()}. */
    private static final class StalledDisk implements PortOutDecisionJournal.ChannelForce {
        final AtomicInteger stalledCalls = new AtomicInteger();
        private volatile CountDownLatch stalled;

        void stall() {
            stalled = new CountDownLatch(1);
        }

        void recover() {
            CountDownLatch latch = stalled;
            stalled = null;
            latch.countDown();
        }

        @Override
        public void force(java.nio.channels.FileChannel channel) throws IOException {
            CountDownLatch latch = stalled;
            if (latch != null) {
                stalledCalls.incrementAndGet();
                try {
                    latch.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            channel.force(true);
        }
    }

    private long lineCount() throws IOException {
        Path file = dir.resolve("decisions-2025-03-04.jsonl");
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    // ---------------------------------------------------------------- helpers

    private PortOutDecisionJournal journal(Duration retention) {
        return journal(dir, retention);
    }

    private PortOutDecisionJournal journal(PortOutDecisionJournal.ChannelForce force) {
        return journal(force, RECORD_TIMEOUT);
    }

    private PortOutDecisionJournal journal(PortOutDecisionJournal.ChannelForce force, Duration recordTimeout) {
        PortOutDecisionJournal journal = new PortOutDecisionJournal(dir, Duration.ofDays(400), recordTimeout, clock,
                new PortOutDecisionJson(), meters, force);
        opened.add(journal);
        return journal;
    }

    private PortOutDecisionJournal journal(Path directory, Duration retention) {
        PortOutDecisionJournal journal = new PortOutDecisionJournal(directory, retention, RECORD_TIMEOUT, clock,
                new PortOutDecisionJson(), meters);
        opened.add(journal);
        return journal;
    }

    /** The clock at {@code instant}, then a decision for {@code pon} recorded. */
    private void recordAt(PortOutDecisionJournal journal, String instant, String pon) {
        clock.set(Instant.parse(instant));
        journal.record(decision(pon));
    }

    private PortOutDecision decision(String pon) {
        return decision(pon, List.of("9195550188"), false, List.of(7513));
    }

    private PortOutDecision decision(String pon, List<String> numbers, boolean portable, List<Integer> codes) {
        return new PortOutDecision(clock.instant(), pon, numbers, portable, codes, "directory:csv", 12);
    }

    private static List<String> pons(List<PortOutDecision> decisions) {
        return decisions.stream().map(PortOutDecision::pon).toList();
    }

    private List<String> dayFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("decisions-")).sorted().toList();
        }
    }
}
