package com.numbersrouter.portout.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.numbersrouter.infra.PrivateFolders;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.portout.TelephoneNumbers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of port-out decisions: append-only JSON Lines, one file per UTC day
 * ({@code decisions-YYYY-MM-DD.jsonl}), each line forced to disk before {@link #record} returns. A decision has no
 * PIN, account number, ZIP or name, so none can reach these files.
 *
 * <p>Forcing is a group commit: a record writes its line, then waits for a force that began after the write. While
 * one force runs, the lines of other decisions gather behind it, and the next force covers them all. One force per
 * decision would cap the node at one decision per disk sync (a few hundred a second on a cloud disk), with every
 * port-out answer queued behind the syncs of the others. A failed force fails every record it covered: none of
 * them is reported as recorded.
 *
 * <p>A record waits for its turn to write and for its force at most the record timeout
 * ({@code numbers-router.portout.audit.record-timeout}), then throws {@link JournalTimeoutException}: the port-out
 * answer must go out within Bandwidth's 30 s, and a stalled disk (or NFS server) can hang a sync for good. So the
 * forces (and the syncs of the directory and of yesterday's file at a new day) run on a thread of the journal's own,
 * never on the caller's: a hung sync holds that thread, and every record meanwhile writes its line and gives up at
 * its timeout. Its line may still reach the disk: the next force, once the hung one has returned, covers every line
 * written so far.
 *
 * <p>The day is the journal's clock's, at the moment of recording (a clock stepped back across midnight writes into
 * the earlier day's file, and {@link #forcedMark()} goes back with it). Day files entirely older than the retention
 * are deleted at start-up and whenever the day rolls over, so that a clock far ahead deletes nothing it should not
 * ({@link #deleteExpired}).
 *
 * <p>{@link #find} reads the day files newest first, each from its end backwards in blocks, and stops as soon as it
 * has {@code limit} matches: a query for recent decisions reads little, and memory never holds more than one block
 * and the matches. A last line without its newline (being written right now, or torn by a crash) is not a record.
 */
public class PortOutDecisionJournal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PortOutDecisionJournal.class);
    private static final Pattern DAY_FILE = Pattern.compile("decisions-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");
    private static final int BLOCK = 64 * 1024;
    private static final byte NEWLINE = '\n';

    private final Path directory;
    private final Duration retention;
    private final Clock clock;
    private final PortOutDecisionJson json;
    private final MeterRegistry meters;
    private final Duration recordTimeout;

    /** Held to write a line, and to read or change the fields it guards; records wait for it at most their timeout. */
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private FileChannel out;
    private LocalDate outDay;
    /** Yesterday's file after the day rolled over, until the next force has forced and closed it. */
    private FileChannel previous;
    /** A day file was created since the last force: its name is forced to disk with the next force. */
    private boolean directoryUnforced;
    /** Lines written so far, in order: the sequence number of the last one. */
    private long written;
    /** Bytes in the current file, as this journal has written it. */
    private long outBytes;

    private final Object forcing = new Object();
    private final ChannelForce force;
    private final String nodeName;
    // guarded by forcing
    private long forcedThrough;
    private long failedThrough;
    private boolean forceRunning;
    /** Why the latest lines failed, for the records that learn it from {@link #failedThrough}. */
    private String failure = "forcing the journal to disk failed";
    /** Runs each force, so that a record can stop waiting for one that hangs. At most one force runs at a time. */
    private final ThreadPoolExecutor forcer;
    private final Counter unrecorded;

    /** How far the day files are known to be on disk, for the decision feed; only ever moves forward. */
    private volatile ForcedMark forcedMark;
    private final List<Runnable> forcedListeners = new CopyOnWriteArrayList<>();

    /**
     * @param recordTimeout how long {@link #record} waits for its turn to write and for its line to be forced to disk
     */
    public PortOutDecisionJournal(Path directory, Duration retention, Duration recordTimeout, Clock clock,
            PortOutDecisionJson json, MeterRegistry meters) {
        this(directory, retention, recordTimeout, HostName.local(), clock, json, meters);
    }

    /** @param nodeName written into each record that names no node ({@link PortOutDecision#node()}) */
    public PortOutDecisionJournal(Path directory, Duration retention, Duration recordTimeout, String nodeName,
            Clock clock, PortOutDecisionJson json, MeterRegistry meters) {
        this(directory, retention, recordTimeout, nodeName, clock, json, meters, channel -> channel.force(true));
    }

    /**
     * @param force how a file is forced to disk; tests hold it to see records gather behind a force in progress, or
     *              to stall the disk
     */
    PortOutDecisionJournal(Path directory, Duration retention, Duration recordTimeout, Clock clock,
            PortOutDecisionJson json, MeterRegistry meters, ChannelForce force) {
        this(directory, retention, recordTimeout, HostName.local(), clock, json, meters, force);
    }

    private PortOutDecisionJournal(Path directory, Duration retention, Duration recordTimeout, String nodeName,
            Clock clock, PortOutDecisionJson json, MeterRegistry meters, ChannelForce force) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.force = Objects.requireNonNull(force, "force");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.recordTimeout = Objects.requireNonNull(recordTimeout, "recordTimeout");
        if (recordTimeout.isNegative() || recordTimeout.isZero()) {
            throw new IllegalArgumentException("recordTimeout must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = Objects.requireNonNull(json, "json");
        this.meters = Objects.requireNonNull(meters, "meters");
        // at 0 from the start: an alert on its increase must see the first one
        this.unrecorded = Counter.builder("numbers.router.portout.decisions.unrecorded")
                .description("Port-out decisions answered before their audit record was on disk: not written (then never"
                        + " published) or not forced within the record timeout (may still reach the disk)")
                .register(meters);
        try {
            PrivateFolders.create(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the port-out audit directory " + directory, e);
        }
        LocalDate today = today();
        deleteExpired(today);
        // What is on disk at start-up counts as recorded: it was written (and answered) by an earlier run.
        forcedMark = new ForcedMark(today, sizeOf(directory.resolve(fileName(today))));
        // One thread, started by the first force and ended when idle; a daemon, so a sync that never returns does
        // not keep the JVM from exiting. The queue holds at most the next force, queued while the last one calls its
        // listeners.
        forcer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "portout-journal-force");
            thread.setDaemon(true);
            return thread;
        });
        forcer.allowCoreThreadTimeOut(true);
    }

    /** How long {@link #record} waits for its turn to write and for its force. */
    public Duration recordTimeout() {
        return recordTimeout;
    }

    /**
     * How far the journal is known to be on disk: every line of the day files before {@link ForcedMark#day()}, and
     * the first {@link ForcedMark#bytes()} of that day's file. Lines beyond it may still fail their force.
     */
    public ForcedMark forcedMark() {
        return forcedMark;
    }

    /** Called, on the forcing thread, after each force that moved {@link #forcedMark()}; must return quickly. */
    public void onForced(Runnable listener) {
        forcedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A position in the day files: the first {@code bytes} bytes of {@code day}'s file, and all of the days before. */
    public record ForcedMark(LocalDate day, long bytes) implements Comparable<ForcedMark> {
        @Override
        public int compareTo(ForcedMark other) {
            int byDay = day.compareTo(other.day);
            return byDay != 0 ? byDay : Long.compare(bytes, other.bytes);
        }
    }

    /**
     * Appends the decision and forces it to disk, in at most the record timeout. Safe to call from several threads at
     * once: lines never interleave.
     *
     * @throws JournalTimeoutException when it got no turn to write, or its line was not forced, within the record
     *                                 timeout (a stalled disk): the line, if written, may still reach the disk later
     * @throws JournalWriteException   when it could not be written; the message names the file, never the decision
     */
    public void record(PortOutDecision decision) {
        try {
            write(decision);
        } catch (RuntimeException e) {
            // Answered without its record on disk: not written (then in no audit record and, since the feed reads the
            // journal, never published), or not forced in time (its line may still reach the disk and the queue).
            unrecorded.increment();
            throw e;
        }
    }

    private void write(PortOutDecision decision) {
        long deadline = System.nanoTime() + recordTimeout.toNanos();
        Objects.requireNonNull(decision, "decision");
        PortOutDecision recorded = decision.node() == null ? decision.recordedBy(nodeName) : decision;
        byte[] line = (json.toJson(recorded) + "\n").getBytes(StandardCharsets.UTF_8);
        long sequence;
        String file;
        try {
            if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new JournalTimeoutException("Port-out decision not written within " + text(recordTimeout)
                        + ": another write to " + directory + " has not returned (a stalled disk?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notRecorded(null, new IOException("interrupted while waiting to write the journal"));
        }
        try {
            LocalDate today = today();
            file = fileName(today);
            try {
                FileChannel channel = channelFor(today);
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                outBytes += line.length;
            } catch (IOException e) {
                // Reopened by the next record, which first ends whatever part of this line reached the file.
                closeUnforced("writing " + directory.resolve(file) + " failed");
                throw notRecorded(file, e);
            }
            sequence = ++written;
        } finally {
            lock.unlock();
        }
        forceThrough(sequence, deadline, file);
        Counter.builder("numbers.router.portout.decisions")
                .description("Port-out decisions recorded in the audit journal")
                .tag("portable", String.valueOf(decision.portable()))
                .tag("basis", decision.basis())
                .register(meters)
                .increment();
    }

    /**
     * The most recently recorded decisions that match, newest first.
     *
     * @param pon             exact PON, or null for any
     * @param telephoneNumber a number in any spelling {@link TelephoneNumbers#normalize} accepts, or null for any
     * @param since           only decisions at or after this instant, or null for all that are kept
     * @param limit           at most this many (at least 1)
     * @throws IllegalArgumentException when the number is not a telephone number or the limit is below 1
     */
    public List<PortOutDecision> find(String pon, String telephoneNumber, Instant since, int limit) {
        return find(pon, telephoneNumber, since, null, limit);
    }

    /**
     * The same, only decisions at or before {@code until} (null: up to now): to page back through more than a limit,
     * ask again with {@code until} the oldest {@code decidedAt} of the page (that one comes again, first).
     */
    public List<PortOutDecision> find(String pon, String telephoneNumber, Instant since, Instant until, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String wantedPon = pon == null || pon.isBlank() ? null : pon.strip();
        String wantedNumber = telephoneNumber == null || telephoneNumber.isBlank() ? null
                : TelephoneNumbers.normalize(telephoneNumber)
                        .orElseThrow(() -> new IllegalArgumentException("number is not a telephone number"));
        // Cheap text tests before parsing: a line without the quoted value cannot match.
        List<String> needles = new ArrayList<>();
        if (wantedPon != null) {
            needles.add(json.quoted(wantedPon));
        }
        if (wantedNumber != null) {
            needles.add(json.quoted(wantedNumber));
        }
        Predicate<PortOutDecision> matches = decision -> (wantedPon == null || wantedPon.equals(decision.pon()))
                && (wantedNumber == null || decision.telephoneNumbers().contains(wantedNumber))
                && (since == null || !decision.decidedAt().isBefore(since))
                && (until == null || !decision.decidedAt().isAfter(until));

        List<PortOutDecision> found = new ArrayList<>();
        for (LocalDate day : daysNewestFirst()) {
            // Everything recorded that day and before it is older than 'since'.
            if (since != null && !startOf(day.plusDays(1)).isAfter(since)) {
                break;
            }
            // Everything recorded that day is newer than 'until' (a record is written a little after its answer, at
            // worst minutes on a stalled disk: one answered just before midnight may be in the next day's file).
            if (until != null && startOf(day).isAfter(until.plus(Duration.ofMinutes(10)))) {
                continue;
            }
            Path file = directory.resolve(fileName(day));
            int[] unreadable = {0};
            try {
                linesNewestFirst(file, line -> {
                    for (String needle : needles) {
                        if (!line.contains(needle)) {
                            return true;
                        }
                    }
                    PortOutDecision decision;
                    try {
                        decision = json.fromJson(line);
                    } catch (RuntimeException e) {
                        unreadable[0]++;
                        return true;
                    }
                    if (matches.test(decision)) {
                        found.add(decision);
                    }
                    return found.size() < limit;
                });
            } catch (NoSuchFileException e) {
                continue; // deleted by retention while we were listing
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            if (unreadable[0] > 0) {
                LOG.warn("{} unreadable line(s) in {} skipped (a write cut short by a crash or a full disk?)",
                        unreadable[0], file);
            }
            if (found.size() >= limit) {
                break;
            }
        }
        return found;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Closes the day file, failing the lines no force has covered yet; a record after this opens the file again. A
     * force that is hung stays so (its thread is a daemon), and a write that has not returned within the record
     * timeout leaves the file open rather than hang the node's shutdown.
     */
    @Override
    public void close() {
        try {
            if (!lock.tryLock(recordTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("Port-out audit journal left open: a write to {} has not returned within {}", directory,
                        text(recordTimeout));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            closeUnforced("the journal was closed before they were forced");
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writing

    private FileChannel channelFor(LocalDate today) throws IOException {
        if (out != null && today.equals(outDay)) {
            return out;
        }
        boolean rolledOver = outDay != null && !today.equals(outDay);
        if (rolledOver) {
            // Yesterday's last lines are forced by the next force, before today's file, on the forcing thread (a
            // sync here would hang the record, and every other behind the lock, on a stalled disk). A force that
            // began before the roll-over does not count today's lines as done: they are beyond its 'through'.
            if (previous != null) {
                // a second roll-over before any force ran (a clock jump): that file is closed unforced, so every line
                // written so far is failed (those of the file kept too: the safe error)
                failUnforced("the day changed twice before the journal was forced");
                closePrevious();
            }
            previous = out;
            out = null;
            outDay = null;
        }
        closeChannel();
        Path file = directory.resolve(fileName(today));
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            if (!created && endsInsideALine(file)) {
                // A line cut short (crash, full disk): end it, so it stays one unreadable line instead of
                // swallowing the next record.
                channel.write(ByteBuffer.wrap(new byte[] {NEWLINE}));
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (created) {
            directoryUnforced = true; // forced with the next force, on the forcing thread
        }
        out = channel;
        outDay = today;
        outBytes = channel.size();
        if (rolledOver) {
            deleteExpired(today);
        }
        return channel;
    }

    /**
     * Returns once a force that began after line {@code sequence} was written has succeeded, or throws at the
     * deadline. A record that finds no force running starts one, for every line written so far, on the forcing
     * thread; every record, that one included, waits for it (no longer than its deadline), then checks whether it
     * covered its line. The records a force covers all return the moment it ends, rather than one by one behind the
     * next force.
     */
    private void forceThrough(long sequence, long deadline, String file) {
        synchronized (forcing) {
            while (true) {
                // The failure first: a later force that succeeded does not bring back a line a failed one lost. (A line
                // forced just before a failure is reported failed too if its thread comes this late: the safe error.)
                if (failedThrough >= sequence) {
                    throw new JournalWriteException("Port-out decision not recorded: " + failure, new IOException(failure));
                }
                if (forcedThrough >= sequence) {
                    return; // a force that began after this line was written covered it
                }
                if (!forceRunning) {
                    try {
                        forcer.execute(this::forceNow);
                    } catch (RejectedExecutionException e) {
                        throw notRecorded(null, new IOException("no thread to force the journal"));
                    }
                    forceRunning = true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // The force goes on without us: once it (or a later one) ends, the line is on disk, and the
                    // decisions feed publishes it as any other.
                    throw new JournalTimeoutException("Port-out decision not forced to disk within "
                            + text(recordTimeout) + ": " + directory.resolve(file)
                            + " (a stalled disk?); its line is written and may still reach the disk later");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(forcing, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw notRecorded(null, new IOException("interrupted while waiting for the journal to be forced"));
                }
            }
        }
    }

    /**
     * One force, on the forcing thread: of yesterday's file and of the directory when there is something of theirs
     * to force, then of the current file, for every line written before it began. Never retried: after a failed sync
     * the kernel may have dropped the dirty pages, so a second sync could succeed without the lines. A failure fails
     * every line written so far; the next record reopens the file.
     */
    private void forceNow() {
        FileChannel channel;
        FileChannel yesterday;
        boolean newFile;
        long through;
        String file;
        ForcedMark reaches;
        lock.lock();
        try {
            channel = out;
            yesterday = previous;
            newFile = directoryUnforced;
            directoryUnforced = false;
            through = written;
            file = outDay == null ? null : fileName(outDay);
            reaches = outDay == null ? null : new ForcedMark(outDay, outBytes);
        } finally {
            lock.unlock();
        }
        boolean forced = false;
        String failed = null;
        try {
            if (channel == null) {
                // closed since the write: by a failure, which failed this line's force too, or by close()
                throw new IOException("the journal file was closed before it was forced");
            }
            if (yesterday != null) {
                force.force(yesterday);
                lock.lock();
                try {
                    if (previous == yesterday) {
                        closePrevious();
                    }
                } finally {
                    lock.unlock();
                }
            }
            if (newFile) {
                forceDirectory();
            }
            force.force(channel);
            forced = true;
        } catch (IOException | RuntimeException e) {
            failed = "cannot write " + (file == null ? directory : directory.resolve(file)) + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            LOG.debug("Forcing the port-out audit journal failed", e);
            lock.lock();
            try {
                if (newFile) {
                    directoryUnforced = true;
                }
                // the file whose sync failed, also when the day rolled over since: a second sync of it could succeed
                // without the lost lines
                if (out == channel || previous == channel) {
                    closeUnforced(failed);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            synchronized (forcing) {
                // max: closing a file may have failed lines beyond this force already (closeUnforced)
                if (forced) {
                    forcedThrough = Math.max(forcedThrough, through);
                    // before the records are woken: one that returns sees its line in the mark (the feed's too)
                    // forward; or to another day before it, once the clock has gone back across midnight (the
                    // decisions feed then starts again from that day: PortOutDecisionFeed#next)
                    if (reaches != null && (reaches.compareTo(forcedMark) > 0 || !reaches.day().equals(forcedMark.day()))) {
                        forcedMark = reaches;
                    } else {
                        reaches = null;
                    }
                } else {
                    failure = failed != null ? failed : "forcing the journal to disk failed";
                    failedThrough = Math.max(failedThrough, through);
                }
                forceRunning = false;
                forcing.notifyAll();
            }
        }
        if (forced && reaches != null) {
            forcedListeners.forEach(Runnable::run);
        }
        forceWhatWasWrittenMeanwhile(through);
    }

    /**
     * Lines written while this force ran are forced by the next one, which their records start; but records that gave
     * up at their timeout (a stalled disk) start none, and their lines would wait for the next port-out. So the
     * forcing thread starts it itself.
     */
    private void forceWhatWasWrittenMeanwhile(long through) {
        long now;
        lock.lock();
        try {
            now = out == null ? through : written;
        } finally {
            lock.unlock();
        }
        if (now <= through) {
            return;
        }
        synchronized (forcing) {
            if (!forceRunning && forcedThrough < now && failedThrough < now) {
                try {
                    forcer.execute(this::forceNow);
                    forceRunning = true;
                } catch (RejectedExecutionException e) {
                    // closed meanwhile: the lines are failed by close()
                }
            }
        }
    }

    private JournalWriteException notRecorded(String file, IOException e) {
        return new JournalWriteException("Port-out decision not recorded: cannot write "
                + (file == null ? directory : directory.resolve(file)) + ": "
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    }

    /** Forces one journal file's content to disk. */
    @FunctionalInterface
    interface ChannelForce {
        void force(FileChannel channel) throws IOException;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the port-out audit file " + file, e);
        }
    }

    private static boolean endsInsideALine(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) != NEWLINE;
        }
    }

    /**
     * Closes the current file, failing the lines written to it that no force has covered yet. Closing does not force,
     * and the next force would be of the next file: without this, it would report those lines as on disk. (Lines a
     * force did cover are reported failed too if their thread comes late: the safe error.) Yesterday's file, if a
     * force has not closed it yet, is closed too. Holds the lock.
     *
     * @param why what the records of those lines are told
     */
    private void closeUnforced(String why) {
        failUnforced(why);
        closeChannel();
        closePrevious();
    }

    /** Fails every line written so far that no force has covered. Holds the lock. */
    private void failUnforced(String why) {
        synchronized (forcing) {
            if (failedThrough < written) {
                failure = why;
            }
            failedThrough = Math.max(failedThrough, written);
            forcing.notifyAll();
        }
    }

    /** Closes yesterday's file. Holds the lock. */
    private void closePrevious() {
        if (previous != null) {
            try {
                previous.close();
            } catch (IOException e) {
                LOG.warn("Closing the port-out audit file failed: {}", e.getMessage());
            }
            previous = null;
        }
    }

    private void closeChannel() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Closing the port-out audit file failed: {}", e.getMessage());
            }
            out = null;
            outDay = null;
        }
    }

    private void forceDirectory() {
        // Makes the new file's name durable too; not supported on every platform, where the file's own force must do.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes the day files whose every record is older than the retention. A clock set years ahead (a host started
     * before its time is synchronised, a bad time server) must not delete the journal, which nothing could bring
     * back: going back from today, deletion stops at the first stretch longer than the retention with no file (a
     * journal written every few days has none; one whose clock jumped ahead has one between the files written at the
     * right time and today, or the files the wrong clock wrote), and files dated after today are never deleted. Both
     * get a WARN; if the clock is right, delete such files by hand.
     */
    private void deleteExpired(LocalDate today) {
        Instant cutoff = clock.instant().minus(retention);
        LocalDate newer = today;
        List<LocalDate> future = new ArrayList<>();
        for (LocalDate day : daysNewestFirst()) {
            if (day.isAfter(today)) {
                future.add(day);
                continue;
            }
            if (newer.minusDays(retention.toDays()).isAfter(day)) {
                LOG.warn("No port-out audit file between {} and {}, longer than the retention of {} days: files from {}"
                        + " back are kept, in case the clock is wrong (it reads {}). If it is right, delete the files"
                        + " older than the retention by hand", day, newer, retention.toDays(), day, clock.instant());
                break;
            }
            newer = day;
            if (day.equals(today) || startOf(day.plusDays(1)).isAfter(cutoff)) {
                continue;
            }
            Path file = directory.resolve(fileName(day));
            try {
                Files.deleteIfExists(file);
                LOG.info("Deleted port-out audit file {}: older than the retention of {} days", file.getFileName(),
                        retention.toDays());
            } catch (IOException e) {
                LOG.warn("Cannot delete expired port-out audit file {}: {}", file, e.getMessage());
            }
        }
        if (!future.isEmpty()) {
            LOG.warn("Port-out audit files dated after today ({}): {}. Written while the clock was ahead? Kept, and"
                    + " searched as any other", today, future);
        }
    }

    // ---------------------------------------------------------------- reading

    /** The days that have a file, newest first. */
    List<LocalDate> daysNewestFirst() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> DAY_FILE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> parseDay(m.group(1)))
                    .filter(Objects::nonNull)
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the port-out audit directory " + directory, e);
        }
    }

    private static LocalDate parseDay(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null; // looks like a day file but is not one (decisions-2025-02-30.jsonl): not ours
        }
    }

    /**
     * Feeds the file's complete lines to {@code visitor}, last line first, reading backwards in blocks; stops when the
     * visitor returns false. '\n' never occurs inside a UTF-8 multi-byte character, so lines can be cut on bytes.
     */
    static void linesNewestFirst(Path file, Predicate<String> visitor) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = in.size();
            byte[] carry = new byte[0];     // the start of the line being assembled, read from a later block
            boolean inTail = true;          // before the last newline: not a complete record
            while (position > 0) {
                int length = (int) Math.min(BLOCK, position);
                position -= length;
                ByteBuffer block = ByteBuffer.allocate(length + carry.length);
                block.limit(length);
                while (block.hasRemaining()) {
                    if (in.read(block, position + block.position()) < 0) {
                        throw new IOException(file + " shrank while being read");
                    }
                }
                block.limit(block.capacity());
                block.put(carry);
                byte[] bytes = block.array();
                int lineEnd = bytes.length;
                for (int i = bytes.length - 1; i >= 0; i--) {
                    if (bytes[i] != NEWLINE) {
                        continue;
                    }
                    if (inTail) {
                        inTail = false;
                    } else if (lineEnd > i + 1
                            && !visitor.test(new String(bytes, i + 1, lineEnd - i - 1, StandardCharsets.UTF_8))) {
                        return;
                    }
                    lineEnd = i;
                }
                carry = Arrays.copyOfRange(bytes, 0, lineEnd);
            }
            if (!inTail && carry.length > 0) {
                visitor.test(new String(carry, StandardCharsets.UTF_8));
            }
        }
    }

    // ---------------------------------------------------------------- days

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static String fileName(LocalDate day) {
        return "decisions-" + day + ".jsonl";
    }

    /** "2s", "500ms": a timeout as an operator configures it. */
    private static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** The decision could not be made durable; the caller decides what that means for the answer. */
    public static class JournalWriteException extends UncheckedIOException {
        public JournalWriteException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /**
     * The decision was not on disk within the record timeout (a stalled disk): the record stopped waiting, so that the
     * answer can go out in time. Its line, if written, may still reach the disk later.
     */
    public static class JournalTimeoutException extends JournalWriteException {
        public JournalTimeoutException(String message) {
            super(message, new IOException(message));
        }
    }
}
