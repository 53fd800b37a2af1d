package com.numbersrouter.support;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Which property an environment variable sets, decided by Spring Boot's own relaxed binding rather than by hand. */
public final class EnvironmentVariables {

    private EnvironmentVariables() {
    }

    /** True when a node started with {@code variable} set would see it as {@code property}. */
    public static boolean sets(String variable, ConfigurationPropertyName property) {
        return environment(variable).getConfigurationProperty(property) != null;
    }

    /**
     * True when a node started with {@code variable} set would see the entry {@code key} (e.g. {@code name.username})
     * in the map property {@code map}. Not the same as {@link #sets}: map entries are found by listing the
     * environment, and {@code NUMBERS_ROUTER_…} (which {@link #sets} accepts for a plain property) adds none.
     */
    public static boolean addsEntry(String variable, ConfigurationPropertyName map, String key) {
        return new Binder(environment(variable)).bind(map, Bindable.mapOf(String.class, String.class))
                .map(entries -> entries.containsKey(key)).orElse(false);
    }

    private static ConfigurationPropertySource environment(String variable) {
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>of(variable, "x")));
    }
}
