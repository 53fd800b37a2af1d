package com.numbersrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;

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

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
