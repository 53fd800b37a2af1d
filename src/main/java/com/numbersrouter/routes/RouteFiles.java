package com.numbersrouter.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the route folder into a snapshot: every {@code *.camel.yaml} below it, by path, with its content.
 * Hidden files are left out, so editors' swap, lock and backup files ({@code .orders.camel.yaml.swp},
 * {@code .#orders.camel.yaml}, {@code orders.camel.yaml~}) never count as routes; so are hidden folders and all
 * below them. A Kubernetes ConfigMap or Secret mounted as the folder holds each file twice: the real one in a
 * hidden {@code ..2026_11_28_14_00_00.123456789/} folder (swapped whole on an update) and a link to it under the
 * file's own name. Read both, every route id would be there twice and the node would not start.
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
        try {
            for (Path path : routeFiles(directory)) {
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

    private static List<Path> routeFiles(Path directory) throws IOException {
        List<Path> found = new ArrayList<>();
        // Links followed: the folder itself, or a folder in it, may be a link to where the files are kept.
        Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                return folder.equals(directory) || !isHidden(folder) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (isRouteFile(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException || e instanceof FileSystemLoopException) {
                    // deleted between listing and looking (the next look sees it), or a link back up the tree
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found;
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        // a link to a file counts (Files.isRegularFile follows it): that is how a ConfigMap presents its files
        return name.endsWith(SUFFIX) && !isHidden(path) && Files.isRegularFile(path);
    }

    /** The location Camel records as a route's source, so a route can be traced back to its file. */
    static String location(Path path) {
        return "file:" + path.toString().replace('\\', '/');
    }
}
