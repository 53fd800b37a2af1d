package com.numbersrouter.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's hold on a data folder it must not share (the spool, the port-out audit journal), for as long as it runs:
 * the operating system's lock on the file {@code .lock} in it, released when the node stops or dies. A second node
 * pointed at the same folder (two replicas on one shared volume, a copy of the node started by hand) does not start:
 * it would clear the first one's unfinished spool writes (answered 200, then lost), forward one spool twice and
 * append to one journal with a second feed position.
 */
public final class DataFolderLock implements AutoCloseable {

    static final String FILE = ".lock";
    private static final Logger LOG = LoggerFactory.getLogger(DataFolderLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed (readable by the node's user only) and locks it.
     *
     * @param what the folder's role and setting, for the message
     * @throws IllegalStateException when another node (or another context in this JVM) holds it
     */
    public static DataFolderLock take(Path folder, String what) {
        FileChannel channel = null;
        try {
            PrivateFolders.create(folder);
            channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(folder, what);
            }
            return new DataFolderLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(folder, what);
        } catch (IOException e) {
            if (channel == null) {
                throw new UncheckedIOException("Cannot use the " + what + " folder " + folder.toAbsolutePath(), e);
            }
            // a file system without locks (some network ones): the node still runs, unguarded
            LOG.warn("Cannot lock the {} folder {} ({}): nothing stops a second node from using it too; never point"
                    + " two nodes at one folder", what, folder.toAbsolutePath(), e.getMessage());
            return new DataFolderLock(channel, null);
        }
    }

    private static IllegalStateException inUse(Path folder, String what) {
        return new IllegalStateException("The " + what + " folder " + folder.toAbsolutePath() + " is in use by another"
                + " node (it holds " + FILE + " there). Two nodes must never share a data folder: give each its own"
                + " (a volume per pod), or stop the other first.");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    /** True if the folder is locked (false on a file system that has no locks). */
    public boolean held() {
        return lock != null && lock.isValid();
    }

    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.debug("Releasing {} failed: {}", FILE, e.getMessage());
        } finally {
            closeQuietly(channel);
        }
    }
}
