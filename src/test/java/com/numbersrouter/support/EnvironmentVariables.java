package com.numbersrouter.support;

import java.util.Map;

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
        ConfigurationPropertySource environment = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>of(variable, "x")));
        return environment.getConfigurationProperty(property) != null;
    }
}
