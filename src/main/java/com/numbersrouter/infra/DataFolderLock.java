package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The folders held in this JVM, and as what. Checked before a channel is opened: the operating system's lock
     * belongs to the process, and closing any channel to the same file (a second, refused take) would release it.
     */
    private static final Map<Object, String> HELD_HERE = new ConcurrentHashMap<>();

    /** The folder's identity (device and inode where the file system has them: one folder under two mounts is one). */
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Object key, FileChannel channel, FileLock lock) {
        this.key = key;
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
        Path real;
        Object key;
        try {
            PrivateFolders.create(folder);
            real = folder.toRealPath();
            Object fileKey = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
            key = fileKey != null ? fileKey : real;
        } catch (IOException e) {
            // as before this lock: the folder's own user (the spool, the journal) says what is wrong with it
            LOG.warn("Cannot lock the {} folder {} ({}): nothing stops a second node from using it too", what,
                    folder.toAbsolutePath(), e.toString());
            return new DataFolderLock(null, null, null);
        }
        String heldAs = HELD_HERE.putIfAbsent(key, what);
        if (heldAs != null) {
            throw new IllegalStateException("The " + what + " folder " + real + " is in use already, as the " + heldAs
                    + " folder of a node in this JVM. Two nodes, or two of a node's folder settings, must never share a"
                    + " folder: give each its own.");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(real.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("The " + what + " folder " + real + " is in use by another node (it"
                        + " holds " + FILE + " there). Two nodes must never share a data folder: give each its own (a"
                        + " volume per pod), or stop the other first.");
            }
            return new DataFolderLock(key, channel, lock);
        } catch (IOException e) {
            // a read-only volume (the node ran on one before, and says so where it writes), a .lock of another user,
            // a file system without locks (some network ones): the node still runs, unguarded
            LOG.warn("Cannot lock the {} folder {} ({}): nothing stops a second node from using it too; never point"
                    + " two nodes at one folder", what, real, e.toString());
            return new DataFolderLock(key, channel, null);
        } catch (RuntimeException e) {
            HELD_HERE.remove(key);
            closeQuietly(channel);
            throw e;
        }
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
            if (key != null) {
                HELD_HERE.remove(key);
            }
        }
    }
}
