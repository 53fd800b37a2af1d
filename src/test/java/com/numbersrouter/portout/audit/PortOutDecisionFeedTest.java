package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The decisions feed reads the journal as its outbox: what it publishes, in which order, and what it keeps when the
 * publish fails or the node restarts. A publisher stand-in records the batches (the broker side is
 * {@link PortOutDecisionPublishOutageTest}).
 */
class PortOutDecisionFeedTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-04T10:15:30Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    /** Publishes that fail before the next one succeeds. */
    private final AtomicInteger failNext = new AtomicInteger();
    private final List<PortOutDecisionFeed> feeds = new ArrayList<>();
    private final Logger portoutLog = (Logger) LoggerFactory.getLogger("numbers-router.portout");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private PortOutDecisionJournal journal;

    @BeforeEach
    void watchTheLog() {
        logged.start();
        portoutLog.addAppender(logged);
    }

    @AfterEach
    void stop() {
        feeds.forEach(PortOutDecisionFeed::stop);
        if (journal != null) {
            journal.close();
        }
        portoutLog.detachAppender(logged);
    }

    @Test
    void publishesEachRecordedDecisionOnceInOrderButNotWhatWasRecordedBeforeTheFeedFirstStarted() {
        journal = journal();
        journal.record(decision("BEFORE"));
        feed().start();

        for (int i = 1; i <= 5; i++) {
            journal.record(decision("WIN-" + i));
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 5);
        assertThat(published()).containsExactly("WIN-1", "WIN-2", "WIN-3", "WIN-4", "WIN-5");
        assertThat(meters.counter("numbers.router.portout.decisions.published").count()).isEqualTo(5);
    }

    /** A decision on thousands of numbers is one line longer than the feed's read block: read whole, not stuck on. */
    @Test
    void aDecisionLongerThanTheReadBlockIsPublishedAndSoIsWhatFollows() {
        journal = journal();
        feed().start();
        List<String> numbers = new ArrayList<>();
        for (int n = 0; n < 40_000; n++) {
            numbers.add(String.format("919%07d", n));
        }

        journal.record(new PortOutDecision(clock.instant(), "WIN-MANY", numbers, false, List.of(7517), "directory:csv", 3));
        journal.record(decision("WIN-AFTER"));
        assertThat(journal.forcedMark().bytes()).as("its line alone is longer than the 256 KiB read block").isGreaterThan(400_000);

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 2);
        assertThat(published()).containsExactly("WIN-MANY", "WIN-AFTER");
    }

    /**
     * The clock ran years ahead while the feed went on to that day's file, and is right again: the feed must not wait
     * for that day to come before it publishes anything again.
     */
    @Test
    void aFeedThatWentAheadWithTheClockGoesOnWhenTheClockIsRightAgain() {
        clock.set(Instant.parse("2036-02-07T06:28:16Z"));
        journal = journal();
        feed().start();
        journal.record(decision("WIN-AHEAD"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> published().contains("WIN-AHEAD"));

        clock.set(Instant.parse("2025-03-04T10:15:30Z"));
        journal.record(decision("WIN-RIGHT-AGAIN"));
        journal.record(decision("WIN-AFTER"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().contains("WIN-AFTER"));
        assertThat(published()).containsExactly("WIN-AHEAD", "WIN-RIGHT-AGAIN", "WIN-AFTER");
        assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("The decisions feed was at 2036-02-07")
                && m.contains("goes on from the start of 2025-03-04"));
    }

    @Test
    void aFailedPublishIsSentAgainUntilItIsTakenWithOneWarning() {
        journal = journal();
        feed().start();
        failNext.set(3);

        journal.record(decision("WIN-1"));
        journal.record(decision("WIN-2"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() >= 2);
        assertThat(published()).containsExactly("WIN-1", "WIN-2");
        assertThat(meters.counter("numbers.router.portout.decisions.publish.failures").count()).isEqualTo(3);
        assertThat(messages(Level.WARN)).singleElement().asString()
                .contains("not published on bandwidth.portout.decisions", "broker down", "stay in the audit journal");
        assertThat(messages(Level.INFO)).anyMatch(m -> m.contains("published on bandwidth.portout.decisions again, after 3"));
    }

    @Test
    void theBacklogGaugeShowsWhatAnOutageLeftWaitingUntilItIsPublished() throws IOException {
        journal = journal();
        feed(Duration.ofMillis(100)).start();
        failNext.set(Integer.MAX_VALUE); // the broker stays away
        journal.record(decision("WIN-1"));
        journal.record(decision("WIN-2"));
        long recorded = Files.size(dir.resolve("decisions-2025-03-04.jsonl"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> !messages(Level.WARN).isEmpty());
        assertThat(unpublishedBytes()).isEqualTo(recorded);

        failNext.set(0); // back
        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> unpublishedBytes() == 0);
    }

    @Test
    void aRestartPublishesWhatWasRecordedWhileTheFeedWasStoppedAndNothingTwice() {
        journal = journal();
        PortOutDecisionFeed first = feed();
        first.start();
        journal.record(decision("WIN-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 1);
        first.stop();

        journal.record(decision("WIN-2"));
        journal.record(decision("WIN-3"));
        journal.close();
        journal = journal(); // the next run
        feed().start();
        journal.record(decision("WIN-4"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 4);
        assertThat(published()).containsExactly("WIN-1", "WIN-2", "WIN-3", "WIN-4");
    }

    @Test
    void stoppingPublishesWhatTheJournalHoldsBeforeItReturns() {
        journal = journal();
        // the first try fails; the next would come after a second, but the node stops before
        PortOutDecisionFeed feed = feed(Duration.ofMinutes(1));
        feed.start();
        failNext.set(1);
        journal.record(decision("WIN-1"));
        journal.record(decision("WIN-2"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !messages(Level.WARN).isEmpty());

        feed.stop();

        assertThat(published()).containsExactly("WIN-1", "WIN-2");
    }

    @Test
    void readsYesterdaysFileToItsEndBeforeToday() {
        journal = journal();
        feed().start();
        journal.record(decision("WIN-1"));
        clock.set(Instant.parse("2025-03-05T00:00:01Z"));
        journal.record(decision("WIN-2"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 2);
        assertThat(published()).containsExactly("WIN-1", "WIN-2");
    }

    @Test
    void skipsAnUnreadableLineWithAWarningAndPublishesTheRest() throws IOException {
        Files.createDirectories(dir);
        PortOutDecisionJson json = new PortOutDecisionJson();
        Files.writeString(dir.resolve("decisions-2025-03-04.jsonl"),
                "{\"decidedAt\":\"2025-03-04T10:15:30Z\",\"pon\":\"torn\n" + json.toJson(decision("WIN-1")) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(PortOutDecisionFeed.POSITION_FILE), "2025-03-04 0\n");
        journal = journal();
        feed().start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 1);
        assertThat(published()).containsExactly("WIN-1");
        assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("1 unreadable line(s) in decisions-2025-03-04.jsonl"));
    }

    @Test
    void movesPastALastLineThatIsUnreadableInsteadOfReadingItAgain() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("decisions-2025-03-04.jsonl"), "torn\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(PortOutDecisionFeed.POSITION_FILE), "2025-03-04 0\n");
        journal = journal();
        feed().start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> Files.readString(dir.resolve(PortOutDecisionFeed.POSITION_FILE))
                .equals("2025-03-04 5\n"));
        journal.record(decision("WIN-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 1);
        assertThat(published()).containsExactly("WIN-1");
        assertThat(messages(Level.WARN)).filteredOn(m -> m.contains("unreadable")).hasSize(1);
    }

    /**
     * A journal with decisions but no position file (deleted, or a restore without it) is not a first start: the feed
     * goes on from the journal's end as before, but says what it leaves unpublished instead of a quiet INFO.
     */
    @Test
    void aJournalWithDecisionsButNoPositionIsWarnedAbout() {
        journal = journal();
        journal.record(decision("WIN-1"));

        feed().start();
        journal.record(decision("WIN-2"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 1);
        assertThat(published()).containsExactly("WIN-2");
        assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("holds decisions (from 2025-03-04) but no "
                + PortOutDecisionFeed.POSITION_FILE));
    }

    @Test
    void anUnreadablePositionFileDoesNotStopTheNodeAndTodaysDecisionsAreSentAgain() throws IOException {
        journal = journal();
        journal.record(decision("WIN-1"));
        Files.writeString(dir.resolve(PortOutDecisionFeed.POSITION_FILE), "garbage\n");

        feed().start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> published().size() == 1);
        assertThat(published()).containsExactly("WIN-1");
        assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("Cannot read the decisions feed's position"));
    }

    private PortOutDecisionJournal journal() {
        return new PortOutDecisionJournal(dir, Duration.ofDays(400), Duration.ofSeconds(10), clock, new PortOutDecisionJson(),
                meters);
    }

    private PortOutDecisionFeed feed() {
        return feed(Duration.ofMillis(50));
    }

    private PortOutDecisionFeed feed(Duration maxRetryWait) {
        PortOutDecisionFeed feed = new PortOutDecisionFeed(journal, new PortOutDecisionJson(), decisions -> {
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new JMSException("broker down");
            }
            batches.add(decisions.stream().map(PortOutDecision::pon).toList());
        }, "bandwidth.portout.decisions", 256, maxRetryWait, meters);
        feeds.add(feed);
        return feed;
    }

    private double unpublishedBytes() {
        return meters.get("numbers.router.portout.decisions.unpublished").gauge().value();
    }

    private List<String> published() {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    private List<String> messages(Level level) {
        synchronized (logged.list) {
            return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private PortOutDecision decision(String pon) {
        return new PortOutDecision(clock.instant(), pon, List.of("9195550188"), false, List.of(7513), "directory:csv", 12);
    }
}
