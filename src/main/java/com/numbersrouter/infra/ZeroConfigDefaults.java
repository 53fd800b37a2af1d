package com.numbersrouter.infra;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * "Works with nothing installed": Spring Boot's own {@code spring.activemq.broker-url} and {@code spring.mail.host}
 * get defaults that point at the in-process broker and SMTP server, with the lowest precedence. Whoever sets those
 * properties (application.yaml, env vars, a test) wins, and then the in-process server is not started: the
 * {@link #isDefaulted} check asks which property source the value finally came from.
 * <p>
 * The in-process broker requires a password: unless one is configured, a random one is generated here, once, so the
 * broker and the node's connection factory ({@link ZeroConfigFollowers}) get the same value.
 */
public class ZeroConfigDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "numbers-router-zero-config";
    /** The defaults again, first, for settings given blank: see postProcessEnvironment. */
    static final String BLANKS_SOURCE_NAME = SOURCE_NAME + "-for-blanks";
    static final String BROKER_URL = "spring.activemq.broker-url";
    static final String MAIL_HOST = "spring.mail.host";

    static final String POOL_ENABLED = "spring.activemq.pool.enabled";
    /**
     * False in production: a broker URL or SMTP host that is missing (a misspelt variable, a secret that did not
     * mount) then stops the start, instead of starting the in-process server, where orders would wait for a consumer
     * that never comes and alerts would reach nobody, with every webhook still answered 200.
     */
    static final String ZERO_CONFIG = "numbers-router.zero-config";
    private static final String POOLED_JMS = "org.messaginghub.pooled.jms.JmsPoolConnectionFactory";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (Boolean.TRUE.equals(environment.getProperty(POOL_ENABLED, Boolean.class))
                && !ClassUtils.isPresent(POOLED_JMS, ZeroConfigDefaults.class.getClassLoader())) {
            // Spring Boot would make no connection factory at all, and the start would fail on the first bean that
            // needs one, naming neither the property nor the remedy.
            throw new IllegalStateException(POOL_ENABLED + "=true, but the node does not ship pooled-jms: remove the "
                    + "setting. The node already shares one cached connection (spring.jms.cache.*), and its group "
                    + "commit has a connection of its own.");
        }
        if (!enabled(environment)) {
            refuseMissingServers(environment);
        }
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(BROKER_URL, EmbeddedBrokerConfiguration.VM_URL);
        defaults.put(EmbeddedBrokerProperties.PASSWORD, GeneratedPasswords.generate());
        defaults.put(MAIL_HOST, "127.0.0.1");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
        // Set but blank (a template's unset variable, SPRING_ACTIVEMQ_BROKER_URL=${BROKER_URL}) is not set: the
        // in-process servers start for it (isDefaulted), so the connections must go to them too, not to "".
        Map<String, Object> blanks = new HashMap<>();
        for (String server : new String[] {BROKER_URL, MAIL_HOST}) {
            String value = environment.getProperty(server);
            if (value != null && value.isBlank()) {
                blanks.put(server, defaults.get(server));
            }
        }
        if (!blanks.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(BLANKS_SOURCE_NAME, blanks));
        }
        environment.getPropertySources().addLast(new ZeroConfigFollowers(SOURCE_NAME + "-broker-credentials",
                environment, BROKER_URL, Map.of(
                        "spring.activemq.user",
                        "${" + EmbeddedBrokerProperties.USERNAME + ":" + EmbeddedBrokerProperties.DEFAULT_USERNAME + "}",
                        "spring.activemq.password", "${" + EmbeddedBrokerProperties.PASSWORD + "}")));
        // Only with the in-process SMTP server: an operator who sets spring.mail.host alone gets SMTP's port 25.
        environment.getPropertySources().addLast(new ZeroConfigFollowers(SOURCE_NAME + "-smtp-port",
                environment, MAIL_HOST, Map.of("spring.mail.port", "${numbers-router.embedded-smtp.port:2525}")));
    }

    private static void refuseMissingServers(ConfigurableEnvironment environment) {
        StringBuilder missing = new StringBuilder();
        StringBuilder variables = new StringBuilder();
        for (String server : new String[] {BROKER_URL, MAIL_HOST}) {
            String value = environment.getProperty(server);
            if (value == null || value.isBlank()) {
                missing.append(missing.isEmpty() ? "" : " and ").append(server);
                variables.append(variables.isEmpty() ? "" : ", ")
                        .append(server.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(ZERO_CONFIG + "=false, and " + missing + " is not set (or blank): the node "
                    + "would start its in-process server instead of using yours. Set " + missing + " (" + variables
                    + "), or remove " + ZERO_CONFIG + " to run with nothing installed.");
        }
    }

    /**
     * Whether the node may fill in what is missing (the in-process servers, generated passwords written to the log)
     * rather than stop: true unless {@code numbers-router.zero-config=false}, the production setting.
     */
    public static boolean enabled(Environment environment) {
        return environment.getProperty(ZERO_CONFIG, Boolean.class, true);
    }

    /** True when {@code property} has no value but the zero-config default (so the in-process server is wanted). */
    static boolean isDefaulted(Environment environment, String property) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return false;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source.getName().equals(ConfigurationPropertySources.class.getName())
                    || "configurationProperties".equals(source.getName())) {
                continue; // the attached view over all other sources, not a source of its own
            }
            if (source.containsProperty(property)) {
                Object value = source.getProperty(property);
                if (value != null && !String.valueOf(value).isBlank()) {
                    return SOURCE_NAME.equals(source.getName()) || BLANKS_SOURCE_NAME.equals(source.getName());
                }
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
