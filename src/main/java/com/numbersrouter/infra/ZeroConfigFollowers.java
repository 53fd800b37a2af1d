package com.numbersrouter.infra;

import java.util.Map;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Settings that go with an in-process server, given only while the node uses that server: while {@code leader} has
 * no value but its zero-config default. Spring Boot's {@code spring.activemq.user}/{@code .password} follow
 * {@code spring.activemq.broker-url} (an operator's broker must never be sent the in-process broker's credentials),
 * and {@code spring.mail.port} follows {@code spring.mail.host} (an operator who names an SMTP host gets port 25, not
 * the in-process server's port).
 *
 * <p>Decided at each look-up rather than once by {@link ZeroConfigDefaults}, because the leader can be set after the
 * environment post-processors ran (a test's {@code @DynamicPropertySource}). Last in the environment: the same
 * properties set anywhere else win. Values may be placeholders, resolved like any other.
 */
final class ZeroConfigFollowers extends PropertySource<Object> {

    private final String leader;
    private final Map<String, String> followers;

    /**
     * Not the property source's "source": Spring Boot takes a source that is an environment for one to look into, and
     * would look into this one, which holds this source, without end.
     */
    private final ConfigurableEnvironment environment;

    ZeroConfigFollowers(String name, ConfigurableEnvironment environment, String leader, Map<String, String> followers) {
        super(name);
        this.environment = environment;
        this.leader = leader;
        this.followers = Map.copyOf(followers);
    }

    @Override
    public Object getProperty(String name) {
        String value = followers.get(name);
        if (value == null || !ZeroConfigDefaults.isDefaulted(environment, leader)) {
            return null;
        }
        return value;
    }
}
