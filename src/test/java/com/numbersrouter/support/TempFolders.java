package com.numbersrouter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Temporary folders for static test fields (a node's spool, data or routes must exist before its context starts). */
public final class TempFolders {

    private TempFolders() {
    }

    /** A fresh copy of the files in {@code source} (not its sub-folders), e.g. of routes/ for a node whose routes a test edits. */
    public static Path copyOf(Path source) {
        Path target = create("numbers-router-" + source.getFileName());
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
