package com.numbersrouter.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the route folder into a snapshot: every {@code *.camel.yaml} below it, by path, with its content.
 * Hidden files are left out, so editors' swap, lock and backup files ({@code .orders.camel.yaml.swp},
 * {@code .#orders.camel.yaml}, {@code orders.camel.yaml~}) never count as routes.
 */
public final class RouteFiles {

    static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    public static Map<Path, String> read(Path directory) {
        Map<Path, String> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("Routes folder " + directory + " does not exist");
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.filter(RouteFiles::isRouteFile).toList()) {
                try {
                    files.put(path, Files.readString(path, StandardCharsets.UTF_8));
                } catch (NoSuchFileException deletedMeanwhile) {
                    // an editor replaced it between listing and reading: the next look sees the new state
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routes folder " + directory, e);
        }
        return files;
    }

    static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(path);
    }

    /** The location Camel records as a route's source, so a route can be traced back to its file. */
    static String location(Path path) {
        return "file:" + path.toString().replace('\\', '/');
    }
}
