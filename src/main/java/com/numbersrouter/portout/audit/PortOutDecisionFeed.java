package com.numbersrouter.portout.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.numbersrouter.portout.PortOutDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes the audit journal's decisions, in order, once each is on disk: the journal is the feed's outbox. One
 * thread reads the lines the journal has forced since the feed's last position and hands them to the
 * {@link Publisher} in batches (one broker transaction shared by up to {@code batchSize} decisions, instead of a send
 * of its own per decision beside the port-out answer). Its position is kept in {@value #POSITION_FILE} beside the
 * day files, so a broker outage or a restart loses nothing: the decisions not yet published are sent when the broker
 * is back, or by the next run. At least once: a crash between a publish and saving the position sends that batch again.
 * <p>
 * With no position file (a first start) the feed begins at the journal's end: decisions recorded before it existed
 * are not sent again.
 */
public class PortOutDecisionFeed implements SmartLifecycle {

    /** After the web server stops taking webhooks (MAX - 1024), before Camel and the broker stop (MAX - 2049). */
    static final int PHASE = Integer.MAX_VALUE - 1400;
    static final String POSITION_FILE = "decisions.feed-position";
    private static final Logger LOG = LoggerFactory.getLogger("numbers-router.portout");
    private static final int READ_BLOCK = 256 * 1024;
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    /** Puts a batch of decisions on the broker; returns normally only once every one of them is there. */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<PortOutDecision> decisions) throws Exception;
    }

    /** The first {@code offset} bytes of {@code day}'s file are published, and every day before it. */
    record Position(LocalDate day, long offset) {
    }

    private record Batch(List<PortOutDecision> decisions, Position end) {
    }

    private final PortOutDecisionJournal journal;
    private final PortOutDecisionJson json;
    private final Publisher publisher;
    private final String destination;
    private final int batchSize;
    private final Duration maxRetryWait;
    private final Path positionFile;
    private final Counter published;
    private final Counter failures;

    private final Object wake = new Object();
    // guarded by wake
    private boolean woken;
    private volatile boolean running;
    private volatile boolean stopping;
    private Thread thread;
    // written by the feed thread only (set before it starts); read by the backlog gauge too
    private volatile Position position;
    private Position saved;

    /**
     * @param destination  where the publisher puts decisions, for log lines
     * @param batchSize    most decisions in one publish
     * @param maxRetryWait longest wait between publish attempts while the broker is away (doubling from 1 s)
     */
    public PortOutDecisionFeed(PortOutDecisionJournal journal, PortOutDecisionJson json, Publisher publisher,
            String destination, int batchSize, Duration maxRetryWait, MeterRegistry meters) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.json = Objects.requireNonNull(json, "json");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.destination = destination;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        this.batchSize = batchSize;
        this.maxRetryWait = maxRetryWait;
        this.positionFile = journal.directory().resolve(POSITION_FILE);
        this.published = Counter.builder("numbers.router.portout.decisions.published")
                .description("Port-out decisions published on the decisions queue from the audit journal")
                .register(meters);
        this.failures = Counter.builder("numbers.router.portout.decisions.publish.failures")
                .description("Attempts to publish port-out decisions that failed (they stay in the journal and are sent again)")
                .register(meters);
        Gauge.builder("numbers.router.portout.decisions.unpublished", this, PortOutDecisionFeed::unpublishedBytes)
                .description("Bytes of the audit journal on disk that the decisions feed has not published yet (0 when it keeps up)")
                .baseUnit("bytes")
                .register(meters);
        journal.onForced(this::wake);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        position = readPosition();
        // a first start writes where it began at once: a decision recorded from now on is never skipped, even if
        // the node stops before the feed could publish anything
        saved = Files.exists(positionFile) ? position : null;
        savePosition();
        stopping = false;
        running = true;
        thread = new Thread(this::publishWhileRunning, "portout-decision-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Publishes what the journal holds by now (the web server has stopped: no decision comes after), unless the
     * broker refuses it; what is left is sent by the next run.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        stopping = true;
        wake();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void publishWhileRunning() {
        int failedInARow = 0;
        boolean unreadable = false;
        while (true) {
            Batch batch;
            try {
                batch = next();
                unreadable = false;
            } catch (IOException | UncheckedIOException e) {
                // once per spell, not once a second: the journal's own errors name the problem too
                if (!unreadable) {
                    LOG.error("Cannot read the port-out audit journal for the decisions feed: {}", e.getMessage());
                }
                unreadable = true;
                batch = null;
            }
            if (batch == null || batch.decisions().isEmpty()) {
                if (batch != null) {
                    position = batch.end(); // past lines that were all unreadable
                    savePosition();         // (or into a new day)
                }
                if (stopping || !await(IDLE_CHECK)) {
                    return;
                }
                continue;
            }
            try {
                publisher.publish(batch.decisions());
            } catch (Exception e) {
                failures.increment();
                failedInARow++;
                Duration retryIn = retryWait(failedInARow);
                if (failedInARow == 1) {
                    LOG.warn("Port-out decisions not published on {} ({}); they stay in the audit journal and are sent "
                            + "once the broker takes them (next try in {} s)", destination, describe(e),
                            retryIn.toSeconds());
                } else {
                    LOG.debug("Port-out decisions still not published on {} (attempt {}): {}", destination,
                            failedInARow, describe(e));
                }
                if (stopping || !await(retryIn)) {
                    return; // the next run sends them
                }
                continue;
            }
            if (failedInARow > 0) {
                LOG.info("Port-out decisions are published on {} again, after {} failed attempt(s)", destination,
                        failedInARow);
                failedInARow = 0;
            }
            published.increment(batch.decisions().size());
            position = batch.end();
            savePosition();
        }
    }

    /** Waits for the journal's next force, or the time; false if the feed is to stop now. */
    private boolean await(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        synchronized (wake) {
            try {
                while (!woken && !stopping) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wake.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            woken = false;
        }
        // stopping: one more pass publishes what is left, but a failed one is not retried
        return !Thread.currentThread().isInterrupted();
    }

    private Duration retryWait(int failedInARow) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failedInARow - 1, 16));
        return wait.compareTo(maxRetryWait) > 0 ? maxRetryWait : wait;
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause();
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (cause != null && cause != e ? " (" + cause.getMessage() + ")" : "");
    }

    /** From the feed's position to the journal's forced mark: what a broker outage has left waiting. */
    double unpublishedBytes() {
        Position from = position;
        if (from == null) {
            return 0; // not started
        }
        PortOutDecisionJournal.ForcedMark mark = journal.forcedMark();
        long waiting = 0;
        for (LocalDate day : journal.daysNewestFirst()) {
            if (day.isBefore(from.day()) || day.isAfter(mark.day())) {
                continue;
            }
            long end;
            try {
                end = day.equals(mark.day()) ? mark.bytes()
                        : Files.size(journal.directory().resolve(PortOutDecisionJournal.fileName(day)));
            } catch (IOException e) {
                continue; // deleted by retention since the listing
            }
            waiting += Math.max(0, end - (day.equals(from.day()) ? from.offset() : 0));
        }
        return waiting;
    }

    // ---------------------------------------------------------------- reading the journal

    /**
     * The next decisions after the position, only from what the journal has forced. Moves the position past what
     * cannot be published (an unreadable line, the torn end of an old day's file, a day deleted by retention).
     */
    private Batch next() throws IOException {
        PortOutDecisionJournal.ForcedMark mark = journal.forcedMark();
        if (position.day().isAfter(mark.day())) {
            // The clock was ahead when the feed got there and is right again (or the journal was restored without its
            // newest files): waiting for that day would publish nothing for years. At least once, as ever.
            LOG.warn("The decisions feed was at {}, after the journal's current day {} (the clock was ahead?): it goes"
                    + " on from the start of {}, so decisions of that day may be published twice", position.day(),
                    mark.day(), mark.day());
            position = new Position(mark.day(), 0);
        }
        while (!position.day().isAfter(mark.day())) {
            boolean today = position.day().equals(mark.day());
            Path file = journal.directory().resolve(PortOutDecisionJournal.fileName(position.day()));
            long end;
            try {
                end = today ? mark.bytes() : Files.size(file);
            } catch (NoSuchFileException e) {
                end = -1;
            }
            if (end < 0 || !Files.exists(file)) {
                if (today) {
                    return new Batch(List.of(), position); // nothing recorded today yet
                }
                position = nextDay(mark);
                continue;
            }
            Batch batch = read(file, end);
            if (!batch.decisions().isEmpty() || today) {
                return batch;
            }
            // an earlier day, read to its last complete line
            if (position.offset() < end) {
                LOG.warn("{} bytes at the end of {} are not a complete line (a write cut short by a crash?): not published",
                        end - position.offset(), file.getFileName());
            }
            position = nextDay(mark);
        }
        return new Batch(List.of(), position);
    }

    /** Complete lines of {@code file} from the position up to byte {@code end}, at most a batch of them. */
    private Batch read(Path file, long end) throws IOException {
        List<PortOutDecision> decisions = new ArrayList<>();
        long offset = position.offset();
        int unreadable = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            int blockSize = READ_BLOCK;
            while (offset < end && decisions.size() < batchSize) {
                ByteBuffer block = ByteBuffer.allocate((int) Math.min(blockSize, end - offset));
                while (block.hasRemaining() && in.read(block, offset + block.position()) >= 0) {
                    // read the whole block: the journal only appends, and 'end' is within what it has written
                }
                byte[] bytes = block.array();
                int length = block.position();
                int lineStart = 0;
                for (int i = 0; i < length && decisions.size() < batchSize; i++) {
                    if (bytes[i] != '\n') {
                        continue;
                    }
                    if (i > lineStart) {
                        try {
                            decisions.add(json.fromJson(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8)));
                        } catch (RuntimeException e) {
                            unreadable++;
                        }
                    }
                    lineStart = i + 1;
                }
                if (lineStart == 0) {
                    if (length < end - offset) {
                        // one line longer than the block (a decision on thousands of numbers): read it whole
                        blockSize = (int) Math.min(Integer.MAX_VALUE - 8, 2L * blockSize);
                        continue;
                    }
                    break; // no complete line up to the end: a line being written, or not a journal line at all
                }
                blockSize = READ_BLOCK;
                offset += lineStart;
            }
        }
        if (unreadable > 0) {
            LOG.warn("{} unreadable line(s) in {} not published (a write cut short by a crash or a full disk?)",
                    unreadable, file.getFileName());
        }
        return new Batch(decisions, new Position(position.day(), offset));
    }

    /** The first day after the position with a file, up to the mark's day (where the journal writes now). */
    private Position nextDay(PortOutDecisionJournal.ForcedMark mark) {
        LocalDate next = mark.day();
        for (LocalDate day : journal.daysNewestFirst()) {
            if (day.isAfter(position.day()) && day.isBefore(next)) {
                next = day;
            }
        }
        return new Position(next, 0);
    }

    // ---------------------------------------------------------------- the position file

    private Position readPosition() {
        try {
            String[] text = Files.readString(positionFile, StandardCharsets.UTF_8).strip().split(" ");
            return new Position(LocalDate.parse(text[0]), Long.parseLong(text[1]));
        } catch (NoSuchFileException e) {
            PortOutDecisionJournal.ForcedMark mark = journal.forcedMark();
            List<LocalDate> days = journal.daysNewestFirst();
            if (days.isEmpty() && mark.bytes() == 0) {
                LOG.info("Port-out decisions feed starts at the end of the audit journal ({} has no {})",
                        journal.directory(), POSITION_FILE);
            } else {
                // A journal with decisions but no position: the file was deleted, or the folder restored without it.
                // Which of them were published is unknown; sending them all again could flood a CRM with old ones.
                LOG.warn("The port-out audit journal in {} holds decisions (from {}) but no {}: which of them the "
                        + "decisions feed published is not known, and none of them is published now. They stay in the "
                        + "journal (/actuator/portoutdecisions); the feed publishes the decisions made from now on",
                        journal.directory(), days.isEmpty() ? mark.day() : days.get(days.size() - 1), POSITION_FILE);
            }
            return new Position(mark.day(), mark.bytes());
        } catch (IOException | DateTimeParseException | ArrayIndexOutOfBoundsException | NumberFormatException e) {
            // Not a reason to stop the node: a node that does not start answers no port-out, and Bandwidth approves
            // those. Today's decisions are sent again (a consumer may see some twice); older unsent ones are not.
            PortOutDecisionJournal.ForcedMark mark = journal.forcedMark();
            LOG.warn("Cannot read the decisions feed's position {} (\"<day> <bytes published>\": {}): publishing the "
                    + "decisions of {} again from its start", positionFile, e.getMessage(), mark.day());
            return new Position(mark.day(), 0);
        }
    }

    /**
     * Replaces the position file. Not forced: after a crash an older position only sends some decisions twice.
     */
    private void savePosition() {
        if (position.equals(saved)) {
            return;
        }
        Path next = positionFile.resolveSibling(POSITION_FILE + ".next");
        try {
            Files.writeString(next, position.day() + " " + position.offset() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(next, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, positionFile, StandardCopyOption.REPLACE_EXISTING);
            }
            saved = position;
        } catch (IOException e) {
            LOG.warn("Cannot save the decisions feed's position in {}: {} (a restart may publish some decisions twice)",
                    positionFile, e.getMessage());
        }
    }
}
