package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
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

    /** Loads the file now: a file that does not load stops start-up rather than serving nothing. */
    WatchedFile(String name, Path path, Function<Path, T> loader) {
        this.name = name;
        this.path = path;
        this.loader = loader;
        this.current = loader.apply(path);
        this.appliedDigest = digest(path);
        this.seenDigest = appliedDigest;
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
        byte[] now = digest(path);
        long nanos = System.nanoTime();
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
