package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator-edited data file (subscriber directory, rules) held in memory and replaced when the file is saved,
 * but only by a version that loads: the loader is the validation. A file that fails to load changes nothing; the
 * previous version stays in force, and the problem is kept for the health endpoint until a good save.
 *
 * @param <T> what the file loads into
 */
public final class WatchedFile<T> implements Supplier<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);
    /**
     * How often the file is read and hashed even though its size, modification time and identity say it is
     * unchanged: for a file system that keeps modification times to the second or coarser, where a save of the same
     * size within the same second leaves them as they were.
     */
    static final long FULL_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final Path path;
    private final Function<Path, T> loader;

    private volatile T current;
    private volatile String problem;
    private volatile Instant checkedAt = Instant.now();
    private byte[] appliedDigest;
    private byte[] seenDigest;
    private byte[] refusedDigest;
    private long lastChangeNanos;
    /** The file's size, modification time and identity when it was last hashed, and when that was. */
    private Stamp hashedStamp;
    private byte[] hashedDigest;
    private long hashedAtNanos;

    /** Loads the file now: a file that does not load stops start-up rather than serving nothing. */
    WatchedFile(String name, Path path, Function<Path, T> loader) {
        this.name = name;
        this.path = path;
        this.loader = loader;
        // hashed before it is loaded: a save in between is then seen as a change, and loaded at the next poll
        this.appliedDigest = currentDigest(System.nanoTime());
        this.seenDigest = appliedDigest;
        this.current = loader.apply(path);
    }

    @Override
    public T get() {
        return current;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    /** Why the file on disk is not the one in force, or null when it is. */
    public String problem() {
        return problem;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    /** @return true if a new version was applied, false if refused, null if nothing was due */
    synchronized Boolean poll(long quietNanos) {
        return poll(quietNanos, System.nanoTime());
    }

    /** {@link #poll(long)} at {@code nanos} on {@link System#nanoTime()}'s scale. */
    synchronized Boolean poll(long quietNanos, long nanos) {
        byte[] now = currentDigest(nanos);
        if (!Arrays.equals(now, seenDigest)) {
            seenDigest = now;
            lastChangeNanos = nanos;
            return null;
        }
        if (nanos - lastChangeNanos < quietNanos || Arrays.equals(now, refusedDigest)) {
            return null;
        }
        if (Arrays.equals(now, appliedDigest)) {
            if (problem != null) {
                problem = null;
                checkedAt = Instant.now();
                LOG.info("{} ({}) matches the version in force again", name, path);
            }
            return null;
        }
        try {
            T next = loader.apply(path);
            current = next;
            appliedDigest = now;
            refusedDigest = null;
            problem = null;
            checkedAt = Instant.now();
            LOG.info("{} reloaded from {}", name, path);
            return true;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // An Error too (a file nested deep enough to overflow the parser's stack): thrown on, it would end the
            // watch thread's schedule, and no later save, the fix included, would be read until a restart.
            refusedDigest = now;
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            checkedAt = Instant.now();
            LOG.error("{} change refused, the previous version stays in force. Fix and save again: {}", name, problem);
            return false;
        }
    }

    /**
     * The file's SHA-256, read and computed again only when its size, modification time or identity has changed (an
     * editor's save, a Kubernetes ConfigMap's swap), or every {@link #FULL_CHECK_NANOS}: polled four times a second, a
     * subscriber directory of 100,000 rows (12 MB) read and hashed every time cost about 6% of a core.
     */
    private byte[] currentDigest(long nanos) {
        Stamp stamp = Stamp.of(path); // before the read: a save during it changes the stamp, and the next poll reads again
        if (stamp != null && stamp.equals(hashedStamp) && nanos - hashedAtNanos < FULL_CHECK_NANOS) {
            return hashedDigest;
        }
        hashedDigest = digest(path);
        hashedStamp = stamp;
        hashedAtNanos = nanos;
        return hashedDigest;
    }

    /** What the file system says about a file without reading it (null: missing or unreadable). */
    private record Stamp(long size, FileTime modified, Object identity) {

        static Stamp of(Path path) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static byte[] digest(Path path) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        } catch (IOException e) {
            // missing or unreadable (an editor mid-save): a distinct state, looked at again on the next poll
            return new byte[0];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
