package com.numbersrouter.routes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every how-to in docs/how-to/ (linked from the README) is a route file an operator can drop in: each one, put in
 * place of the file it names, must pass the same check a live reload applies.
 */
class HowToExamplesTest {

    private static final Pattern REPLACES = Pattern.compile("Replaces (routes/[\\w.-]+\\.camel\\.yaml)");

    @TempDir
    Path temp;

    static List<Path> howTos() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("docs/how-to"))) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("howTos")
    void howToPassesTheRouteCheck(Path howTo) throws IOException {
        String example = Files.readString(howTo);
        Matcher replaces = REPLACES.matcher(example);
        assertThat(replaces.find()).as("%s says which route file it replaces", howTo).isTrue();
        Path target = Path.of(replaces.group(1));
        assertThat(target).isRegularFile();

        Path routes = temp.resolve("routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve(target.getFileName()), example);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = RouteCheckCommand.run(new String[] {"--routes=" + routes},
                new PrintStream(out, true, StandardCharsets.UTF_8), false);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK: ");
        assertThat(status).isZero();
    }
}
