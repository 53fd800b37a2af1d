package com.numbersrouter.infra;

import java.util.Map;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Spring Boot's {@code spring.activemq.user} and {@code .password}, so that the node's own connection factory presents
 * the in-process broker's username and password, but only while the node uses that broker: an operator's own broker
 * must never be sent them. Decided at each look-up rather than once by {@link ZeroConfigDefaults}, because
 * {@code spring.activemq.broker-url} can be set after the environment post-processors ran (a test's
 * {@code @DynamicPropertySource}). Last in the environment: {@code spring.activemq.user}/{@code .password} set anywhere
 * else win. The values are placeholders, so a configured {@code numbers-router.embedded-broker.password} reaches the
 * connection factory as surely as the generated one.
 */
final class EmbeddedBrokerClientCredentials extends PropertySource<Object> {

    static final String NAME = "numbers-router-zero-config-broker-credentials";

    private static final Map<String, String> CREDENTIALS = Map.of(
            "spring.activemq.user",
            "${" + EmbeddedBrokerProperties.USERNAME + ":" + EmbeddedBrokerProperties.DEFAULT_USERNAME + "}",
            "spring.activemq.password", "${" + EmbeddedBrokerProperties.PASSWORD + "}");

    /**
     * Not the property source's "source": Spring Boot takes a source that is an environment for one to look into, and
     * would look into this one, which holds this source, without end.
     */
    private final ConfigurableEnvironment environment;

    EmbeddedBrokerClientCredentials(ConfigurableEnvironment environment) {
        super(NAME);
        this.environment = environment;
    }

    @Override
    public Object getProperty(String name) {
        String value = CREDENTIALS.get(name);
        if (value == null || !ZeroConfigDefaults.isDefaulted(environment, ZeroConfigDefaults.BROKER_URL)) {
            return null;
        }
        return value;
    }
}
