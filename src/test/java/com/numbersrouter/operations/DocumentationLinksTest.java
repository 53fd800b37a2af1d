package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README sends readers to files in the repository (the how-tos, the performance notes, the example table), and
 * the notes send them back. A file moved or renamed without its links leaves a newcomer at a dead end, so every
 * relative link in the README and in docs/ must name a file or folder that exists. Web links are not followed here:
 * the build must not depend on the internet.
 */
class DocumentationLinksTest {

    /** {@code [text](target)} and {@code [text](target#anchor)}; the target has no spaces in these documents. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkInTheDocumentationNamesAFileThatExists() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (var docs = Files.walk(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
        }
        List<String> links = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")
                        || target.startsWith("mailto:")) {
                    continue;
                }
                links.add(target);
                Path file = document.resolveSibling(target.replaceFirst("#.*", "")).normalize();
                if (!Files.exists(file)) {
                    broken.add(document + " -> " + target);
                }
            }
        }

        assertThat(links).as("the README links the how-tos and the performance notes").isNotEmpty()
                .contains("docs/performance-notes.md");
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
