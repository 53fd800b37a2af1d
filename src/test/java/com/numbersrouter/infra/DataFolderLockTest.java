package com.numbersrouter.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one data folder: the second does not start, whether it is another process (two replicas on a shared
 * volume) or another context in this JVM; a node that died leaves nothing held.
 */
class DataFolderLockTest {

    @TempDir
    Path dir;

    @Test
    void aFolderHeldByAnotherProcessIsRefusedAndFreeOnceThatProcessIsGone() throws Exception {
        Path folder = dir.resolve("spool");
        Files.createDirectories(folder);
        Path holder = dir.resolve("Holder.java");
        // another JVM that locks the folder as a node does, says so, and holds it until it is killed
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Holder {
                    public static void main(String[] args) throws Exception {
                        FileChannel channel = FileChannel.open(Path.of(args[0]).resolve(".lock"),
                                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        if (channel.tryLock() == null) throw new IllegalStateException("not locked");
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read(); // holds the lock until killed (or its input closes)
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, holder.toString(), folder.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> DataFolderLock.take(folder, "spool (numbers-router.spool.directory)"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spool (numbers-router.spool.directory) folder")
                    .hasMessageContaining("is in use by another node");
        } finally {
            other.destroyForcibly();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // the other process died without a word: its lock went with it
        try (DataFolderLock lock = DataFolderLock.take(folder, "spool")) {
            assertThat(lock.held()).isTrue();
        }
    }

    /** A folder the node cannot lock (read-only, a .lock it cannot open): it runs as before, unguarded. */
    @Test
    void aFolderThatCannotBeLockedIsUsedUnguarded() throws Exception {
        Path folder = dir.resolve("read-only-like");
        Files.createDirectories(folder.resolve(".lock")); // cannot be opened as a file

        try (DataFolderLock lock = DataFolderLock.take(folder, "spool")) {
            assertThat(lock.held()).isFalse();
        }
    }

    @Test
    void aSecondHoldInTheSameJvmIsRefusedUntilTheFirstIsReleased() {
        Path folder = dir.resolve("portout-decisions");
        DataFolderLock first = DataFolderLock.take(folder, "port-out audit journal");
        assertThat(Files.isDirectory(folder)).as("created").isTrue();

        // the same folder set for two roles, or two contexts in one JVM
        assertThatThrownBy(() -> DataFolderLock.take(folder.resolve("..").resolve("portout-decisions"), "spool"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use already, as the port-out audit journal folder");
        assertThat(first.held()).as("the refused take did not release the first's lock").isTrue();

        first.close();
        try (DataFolderLock again = DataFolderLock.take(folder, "port-out audit journal")) {
            assertThat(again.held()).isTrue();
        }
    }
}
