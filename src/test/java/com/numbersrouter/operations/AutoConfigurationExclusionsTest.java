package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code spring.autoconfigure.exclude} in {@code application.yaml} names classes: Spring Boot ignores a name that
 * matches no class, so an upgrade that renames or moves one of them would silently bring it back. Two matter for
 * more than start-up time: {@code DataSourceAutoConfiguration} (without its exclusion a node with no database does not
 * start) and {@code SecurityFilterAutoConfiguration} (it would put Spring Security's filters in front of the
 * webhooks). This fails on the upgrade instead.
 */
class AutoConfigurationExclusionsTest {

    private static final Path APPLICATION_YAML = Path.of("src", "main", "resources", "application.yaml");

    @Test
    void everyExcludedAutoConfigurationIsOneThatTheClassPathStillOffers() throws IOException {
        List<String> excluded = excludedInApplicationYaml();
        assertThat(excluded).contains(
                "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration");

        Set<String> offered = new HashSet<>();
        ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(offered::add);
        assertThat(excluded).as("excluded in application.yaml, but no longer an auto-configuration on the class path"
                + " (renamed or moved by an upgrade? then exclude it by its new name)").allMatch(offered::contains);
    }

    private static List<String> excludedInApplicationYaml() throws IOException {
        List<String> excluded = new ArrayList<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load(APPLICATION_YAML.toString(), new FileSystemResource(APPLICATION_YAML))) {
            EnumerablePropertySource<?> properties = (EnumerablePropertySource<?>) source;
            for (int i = 0; properties.containsProperty("spring.autoconfigure.exclude[" + i + "]"); i++) {
                excluded.add(String.valueOf(properties.getProperty("spring.autoconfigure.exclude[" + i + "]")));
            }
        }
        return excluded;
    }
}
