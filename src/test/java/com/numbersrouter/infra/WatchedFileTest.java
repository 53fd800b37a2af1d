package com.numbersrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's data file, watched: a change that cannot be loaded is refused and the version in force stays, even
 * when loading it throws an Error (a file nested deep enough to overflow the parser's stack), which thrown on would
 * end the watch thread's schedule: no later save, the fix included, would be read until a restart.
 */
class WatchedFileTest {

    @TempDir
    Path folder;

    @Test
    void aChangeWhoseLoadingOverflowsTheStackIsRefusedAndTheFixIsReadLater() throws Exception {
        Path file = folder.resolve("rules.yaml");
        Files.writeString(file, "good: 1\n");
        WatchedFile<String> watched = new WatchedFile<>("rules", file, path -> {
            String content = read(path);
            if (content.contains("deep")) {
                throw new StackOverflowError();
            }
            return content;
        });

        Files.writeString(file, "deep: [[[[[[[[[[\n");
        assertThat(watched.poll(0)).as("the change seen").isNull();
        assertThat(watched.poll(0)).as("refused, not thrown").isFalse();
        assertThat(watched.get()).isEqualTo("good: 1\n");
        assertThat(watched.problem()).isEqualTo("StackOverflowError");

        Files.writeString(file, "good: 2\n");
        assertThat(watched.poll(0)).isNull();
        assertThat(watched.poll(0)).as("the fix, applied").isTrue();
        assertThat(watched.get()).isEqualTo("good: 2\n");
    }

    /**
     * Polled four times a second, the file is read and hashed again only when the file system says it changed (size,
     * modification time, identity), or every 10 s: a large subscriber directory read every time cost a few percent of
     * a core for nothing. Here a save keeps the size and the modification time (as one within the same second can,
     * on a file system that keeps times to the second): it is not seen at once, and is seen at the full check.
     */
    @Test
    void anUnchangedFileIsNotReadAgainUntilItsFullCheckAndAnEditThatHidesIsSeenThen() throws Exception {
        Path file = folder.resolve("subscribers.csv");
        Files.writeString(file, "version 1\n");
        FileTime modified = Files.getLastModifiedTime(file);
        WatchedFile<String> watched = new WatchedFile<>("subscriber directory", file, WatchedFileTest::read);
        long start = System.nanoTime(); // after the first read

        Files.writeString(file, "version 2\n");
        Files.setLastModifiedTime(file, modified);
        long soon = start + WatchedFile.FULL_CHECK_NANOS / 2;
        assertThat(watched.poll(0, soon)).isNull();
        assertThat(watched.poll(0, soon + 1)).as("not read: the file system says nothing changed").isNull();
        assertThat(watched.get()).isEqualTo("version 1\n");

        long fullCheck = start + WatchedFile.FULL_CHECK_NANOS + 1;
        assertThat(watched.poll(0, fullCheck)).as("read at the full check: the change seen").isNull();
        assertThat(watched.poll(0, fullCheck + 1)).as("applied").isTrue();
        assertThat(watched.get()).isEqualTo("version 2\n");

        Files.writeString(file, "version 3, longer\n");
        assertThat(watched.poll(0, fullCheck + 2)).as("another size: read at once").isNull();
        assertThat(watched.poll(0, fullCheck + 3)).isTrue();
        assertThat(watched.get()).isEqualTo("version 3, longer\n");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
