package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.EnvironmentVariables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Operators read the README's configuration table, not the code. This holds the table to what the node ships: every
 * setting of the node's own has a row, every row names a property that exists, its environment variable reaches that
 * property, and its default is what the node really starts with: the value in {@code application.yaml}, else the
 * property's own default. It also holds {@code application.yaml} to the properties' defaults: a default changed in
 * one place and not the other (the shipped file once said two group-commit committers while the code and the README
 * said one) fails here. Paths are relative to the repo root, Maven's working directory.
 */
class ReadmeConfigurationTableTest {

    private static final Path README = Path.of("README.md");
    private static final Path APPLICATION_YAML = Path.of("src", "main", "resources", "application.yaml");
    private static final Path OWN_METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    private static final String OWN_PREFIX = "numbers-router.";

    /** {@code @Value("${name:default}")} in the node's code: properties that have no metadata of their own. */
    private static final Pattern VALUE_DEFAULT = Pattern.compile("\\$\\{(numbers-router\\.[a-z0-9.-]+):([^}]*)}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::([^}]*))?}");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");
    /** A map property's entries have a row as {@code map.<name>.key}, {@code <name>} standing for the operator's. */
    private static final String ANY_NAME = ".<name>.";

    private static List<Row> table;
    private static Map<String, String> shipped;
    private static Map<String, String> ownDefaults;
    private static Map<String, String> otherDefaults;
    private static Set<String> knownNames;

    @BeforeAll
    static void read() throws IOException {
        table = Row.parse(Files.readAllLines(README));
        shipped = new LinkedHashMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load(APPLICATION_YAML.toString(), new FileSystemResource(APPLICATION_YAML))) {
            EnumerablePropertySource<?> yaml = (EnumerablePropertySource<?>) source;
            for (String name : yaml.getPropertyNames()) {
                shipped.put(name, String.valueOf(yaml.getProperty(name)));
            }
        }
        ownDefaults = new LinkedHashMap<>();
        knownNames = new TreeSet<>(shipped.keySet());
        assertThat(OWN_METADATA).as("the configuration processor's output (run mvn compile)").exists();
        ObjectMapper json = new ObjectMapper();
        for (JsonNode property : json.readTree(OWN_METADATA.toFile()).path("properties")) {
            String name = property.path("name").asText();
            knownNames.add(name);
            if (property.has("defaultValue")) {
                ownDefaults.put(name, property.get("defaultValue").asText());
            }
        }
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher value = VALUE_DEFAULT.matcher(Files.readString(file));
                while (value.find()) {
                    knownNames.add(value.group(1));
                    ownDefaults.putIfAbsent(value.group(1), value.group(2));
                }
            }
        }
        // Spring Boot's and Camel's own properties, for the rows that document them
        otherDefaults = new LinkedHashMap<>();
        for (URL url : Collections.list(ReadmeConfigurationTableTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    knownNames.add(name);
                    if (property.has("defaultValue") && !name.startsWith(OWN_PREFIX)) {
                        otherDefaults.putIfAbsent(name, property.get("defaultValue").asText());
                    }
                }
            }
        }
        assertThat(table).as("rows of the README's configuration table").hasSizeGreaterThan(50);
    }

    @Test
    void everySettingOfTheNodesOwnHasARow() {
        Set<String> settings = new TreeSet<>();
        Stream.concat(ownDefaults.keySet().stream(), knownNames.stream())
                .filter(name -> name.startsWith(OWN_PREFIX)).forEach(settings::add);
        List<String> documented = table.stream().flatMap(row -> row.properties().stream()).toList();
        List<String> missing = settings.stream()
                .filter(name -> documented.stream().noneMatch(row -> row.equals(name) || row.startsWith(name + "[")
                        || row.startsWith(name + ANY_NAME)
                        || name.startsWith(row.replaceAll("\\[\\d+]\\..*", "") + "[")))
                .toList();
        assertThat(missing).as("settings of the node's own with no row in the README's configuration table").isEmpty();
    }

    @Test
    void everyRowNamesAPropertyThatExists() {
        List<String> unknown = table.stream().flatMap(row -> row.properties().stream())
                .filter(name -> !name.endsWith(".*"))
                .filter(name -> !knownNames.contains(name)
                        && !knownNames.contains(name.replaceAll("\\[\\d+]\\..*", ""))
                        && !(name.contains(ANY_NAME) && knownNames.contains(mapOf(name))))
                .toList();
        assertThat(unknown).as("rows naming no property in configuration metadata, application.yaml or @Value").isEmpty();
    }

    @Test
    void everyRowsEnvironmentVariableReachesItsProperty() {
        List<String> wrong = new ArrayList<>();
        for (Row row : table) {
            for (int i = 0; i < row.variables().size() && i < row.properties().size(); i++) {
                String variable = row.variables().get(i);
                String property = row.properties().get(i);
                if (variable.isEmpty() || variable.equals("…")) {
                    continue;
                }
                boolean reaches = property.contains(ANY_NAME) ? addsEntry(variable, property)
                        : variable.startsWith("…")
                        ? binds(relaxed(property), property) && relaxed(property).endsWith(variable.substring(1))
                        : binds(variable, property);
                if (!reaches) {
                    wrong.add(variable + " → " + property);
                }
            }
        }
        assertThat(wrong).as("environment variables in the table that do not set their row's property").isEmpty();
    }

    @Test
    void everyRowsDefaultIsWhatTheNodeShips() {
        List<String> wrong = new ArrayList<>();
        for (Row row : table) {
            for (int i = 0; i < row.properties().size(); i++) {
                String property = row.properties().get(i);
                Optional<String> documented = row.defaultOf(i);
                Optional<String> actual = shippedDefault(property);
                boolean own = property.startsWith(OWN_PREFIX);
                if (documented.isEmpty()) {
                    // "(none …)": nothing may be shipped
                    if (row.saysNone() && actual.filter(value -> !value.isBlank()).isPresent()) {
                        wrong.add(property + ": the README says none, the node ships " + actual.get());
                    }
                } else if (actual.isEmpty()) {
                    if (own) {
                        wrong.add(property + ": the README says " + documented.get() + ", the node has no default");
                    }
                } else if (!same(documented.get(), actual.get())) {
                    wrong.add(property + ": the README says " + documented.get() + ", the node ships " + actual.get());
                }
            }
        }
        assertThat(wrong).as("defaults in the README's configuration table").isEmpty();
    }

    @Test
    void applicationYamlShipsThePropertiesOwnDefaults() {
        List<String> wrong = new ArrayList<>();
        ownDefaults.forEach((name, value) -> {
            String inYaml = shipped.get(name);
            if (inYaml != null && !same(resolved(inYaml), value)) {
                wrong.add(name + ": application.yaml ships " + inYaml + ", the code's default is " + value);
            }
        });
        assertThat(wrong).as("application.yaml values that contradict the code's own default (which one is meant?)")
                .isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static Optional<String> shippedDefault(String property) {
        String inYaml = shipped.get(property);
        if (inYaml != null) {
            return Optional.of(resolved(inYaml));
        }
        return Optional.ofNullable(ownDefaults.getOrDefault(property, otherDefaults.get(property)));
    }

    /** {@code ${VARIABLE:default}} as the node starts with nothing set: its default. */
    private static String resolved(String value) {
        Matcher placeholder = PLACEHOLDER.matcher(value);
        return placeholder.matches() ? Optional.ofNullable(placeholder.group(2)).orElse("") : value;
    }

    private static boolean same(String documented, String actual) {
        return documented.replace(" ", "").equalsIgnoreCase(actual.replace(" ", ""));
    }

    /** The environment variable Spring Boot's relaxed binding reads for a property. */
    private static String relaxed(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[.\\-\\[\\]]+", "_").replaceAll("_$", "");
    }

    private static String mapOf(String entryProperty) {
        return entryProperty.substring(0, entryProperty.indexOf(ANY_NAME));
    }

    /** A {@code map.<name>.key} row, tried with the name {@code example} ({@code <NAME>}: {@code EXAMPLE}). */
    private static boolean addsEntry(String variable, String entryProperty) {
        return EnvironmentVariables.addsEntry(variable.replace("<NAME>", "EXAMPLE"),
                ConfigurationPropertyName.of(mapOf(entryProperty)),
                "example." + entryProperty.substring(entryProperty.indexOf(ANY_NAME) + ANY_NAME.length()));
    }

    private static boolean binds(String variable, String property) {
        String inYaml = shipped.get(property);
        if (inYaml != null) {
            Matcher placeholder = PLACEHOLDER.matcher(inYaml);
            if (placeholder.matches() && placeholder.group(1).equals(variable)) {
                return true;
            }
        }
        return EnvironmentVariables.sets(variable, ConfigurationPropertyName.of(property));
    }

    /**
     * One row of the table. A row may document several properties: {@code `a.b.c` / `d` / `.e`} is a.b.c, a.b.d and
     * a.b.e, with one environment variable and one default each, in the same order.
     */
    record Row(List<String> properties, List<String> variables, String defaults) {

        static List<Row> parse(List<String> readme) {
            List<Row> rows = new ArrayList<>();
            boolean inSection = false;
            for (String line : readme) {
                if (line.startsWith("## ")) {
                    if (inSection && !rows.isEmpty()) {
                        break;
                    }
                    inSection = line.equals("## Configuration");
                } else if (inSection && line.startsWith("| `")) {
                    String[] cells = line.substring(1).split("\\|", -1);
                    List<String> properties = expand(backticked(cells[0]));
                    List<String> variables = cells[1].isBlank() ? List.of()
                            : Stream.of(cells[1].split(" / ")).map(v -> v.strip().replace("`", "")).toList();
                    rows.add(new Row(properties, variables, cells[2].strip()));
                } else if (inSection && !rows.isEmpty() && !line.startsWith("|")) {
                    break;
                }
            }
            return rows;
        }

        private static List<String> expand(List<String> names) {
            List<String> expanded = new ArrayList<>();
            String first = names.get(0);
            expanded.add(first);
            String parent = first.substring(0, first.lastIndexOf('.') + 1);
            for (String name : names.subList(1, names.size())) {
                expanded.add(parent + (name.startsWith(".") ? name.substring(1) : name));
            }
            return expanded;
        }

        private static List<String> backticked(String cell) {
            List<String> values = new ArrayList<>();
            Matcher value = BACKTICKED.matcher(cell);
            while (value.find()) {
                values.add(value.group(1));
            }
            return values;
        }

        boolean saysNone() {
            return defaults.startsWith("*(none");
        }

        /** The documented default of the i-th property, when the cell gives one as code. */
        Optional<String> defaultOf(int index) {
            List<String> values = Stream.of(defaults.split(" / ")).map(Row::backticked)
                    .map(found -> found.isEmpty() ? null : found.get(0)).toList();
            return index < values.size() ? Optional.ofNullable(values.get(index)) : Optional.empty();
        }
    }
}
