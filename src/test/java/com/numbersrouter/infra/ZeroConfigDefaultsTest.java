package com.numbersrouter.infra;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.jms.activemq.ActiveMQProperties;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which credentials Spring Boot's ActiveMQ connection factory gets, bound from the environment as Spring Boot binds
 * them: the in-process broker's while the node uses it, and none of ours when the operator names a broker of their
 * own, which must never be sent the in-process broker's username and password.
 */
class ZeroConfigDefaultsTest {

    private static final String OPERATORS_BROKER = "tcp://mq.example:61616";

    @Test
    void theNodePresentsTheGeneratedPasswordOfTheInProcessBroker() {
        StandardEnvironment environment = processed(Map.of());

        ActiveMQProperties activeMq = activeMq(environment);
        assertThat(activeMq.getUser()).isEqualTo(EmbeddedBrokerProperties.DEFAULT_USERNAME);
        String generated = environment.getProperty(EmbeddedBrokerProperties.PASSWORD);
        assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
        assertThat(activeMq.getPassword()).as("the broker's own password, generated once").isEqualTo(generated);
        assertThat(activeMq(environment).getPassword()).isEqualTo(generated);
        assertThat(ZeroConfigDefaults.isDefaulted(environment, EmbeddedBrokerProperties.PASSWORD)).isTrue();
    }

    @Test
    void theNodePresentsTheConfiguredCredentialsOfTheInProcessBroker() {
        StandardEnvironment environment = processed(Map.of(
                EmbeddedBrokerProperties.USERNAME, "esb",
                EmbeddedBrokerProperties.PASSWORD, "configured-secret"));

        ActiveMQProperties activeMq = activeMq(environment);
        assertThat(activeMq.getUser()).isEqualTo("esb");
        assertThat(activeMq.getPassword()).isEqualTo("configured-secret");
        assertThat(ZeroConfigDefaults.isDefaulted(environment, EmbeddedBrokerProperties.PASSWORD)).isFalse();
    }

    /**
     * With zero-config off (production), a broker URL or SMTP host that did not arrive (a misspelt variable, an
     * unmounted secret) stops the start: the in-process broker would keep the orders where no ESB reads them.
     */
    @Test
    void withZeroConfigOffAMissingServerStopsTheStart() {
        assertThatThrownBy(() -> processed(Map.of(ZeroConfigDefaults.ZERO_CONFIG, "false",
                ZeroConfigDefaults.MAIL_HOST, "smtp.example.net")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.activemq.broker-url is not set")
                .hasMessageContaining("(SPRING_ACTIVEMQ_BROKER_URL)")
                .hasMessageNotContaining("spring.mail.host").hasMessageNotContaining("SPRING_MAIL_HOST");
        assertThatThrownBy(() -> processed(Map.of(ZeroConfigDefaults.ZERO_CONFIG, "false",
                ZeroConfigDefaults.BROKER_URL, OPERATORS_BROKER, ZeroConfigDefaults.MAIL_HOST, " ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.mail.host is not set (or blank)");

        StandardEnvironment both = processed(Map.of(ZeroConfigDefaults.ZERO_CONFIG, "false",
                ZeroConfigDefaults.BROKER_URL, OPERATORS_BROKER, ZeroConfigDefaults.MAIL_HOST, "smtp.example.net"));
        assertThat(both.getProperty(ZeroConfigDefaults.BROKER_URL)).isEqualTo(OPERATORS_BROKER);
        assertThat(ZeroConfigDefaults.isDefaulted(both, ZeroConfigDefaults.MAIL_HOST)).isFalse();
        // by default, nothing set is the zero-config form
        assertThat(processed(Map.of()).getProperty(ZeroConfigDefaults.BROKER_URL)).isEqualTo(EmbeddedBrokerConfiguration.VM_URL);
    }

    /** Without pooled-jms, Spring Boot makes no connection factory, and the start failed naming neither. */
    @Test
    void aConnectionPoolTheNodeDoesNotShipStopsTheStartWithTheReason() {
        assertThatThrownBy(() -> processed(Map.of(ZeroConfigDefaults.POOL_ENABLED, "true")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.activemq.pool.enabled=true")
                .hasMessageContaining("remove the setting");
        assertThat(processed(Map.of(ZeroConfigDefaults.POOL_ENABLED, "false")).getProperty(ZeroConfigDefaults.BROKER_URL))
                .isEqualTo(EmbeddedBrokerConfiguration.VM_URL);
    }

    @Test
    void anOperatorsBrokerIsNeverSentTheInProcessBrokersCredentials() {
        StandardEnvironment environment = processed(Map.of(ZeroConfigDefaults.BROKER_URL, OPERATORS_BROKER));

        ActiveMQProperties activeMq = activeMq(environment);
        assertThat(activeMq.getBrokerUrl()).isEqualTo(OPERATORS_BROKER);
        assertThat(activeMq.getUser()).isNull();
        assertThat(activeMq.getPassword()).isNull();
        assertThat(environment.getProperty("spring.activemq.user")).isNull();
        assertThat(environment.getProperty("spring.activemq.password")).isNull();
    }

    /** A test's {@code @DynamicPropertySource} adds its broker only after the post-processors ran. */
    @Test
    void aBrokerUrlAddedAfterStartUpProcessingIsNotSentThemEither() {
        StandardEnvironment environment = processed(Map.of());
        environment.getPropertySources().addFirst(new MapPropertySource("dynamic",
                Map.of(ZeroConfigDefaults.BROKER_URL, OPERATORS_BROKER)));

        ActiveMQProperties activeMq = activeMq(environment);
        assertThat(activeMq.getUser()).isNull();
        assertThat(activeMq.getPassword()).isNull();
    }

    @Test
    void theOperatorsOwnBrokerCredentialsAreKept() {
        StandardEnvironment environment = processed(Map.of(ZeroConfigDefaults.BROKER_URL, OPERATORS_BROKER,
                "spring.activemq.user", "node", "spring.activemq.password", "their-secret"));

        assertThat(activeMq(environment).getUser()).isEqualTo("node");
        assertThat(activeMq(environment).getPassword()).isEqualTo("their-secret");
    }

    @Test
    void theInProcessSmtpServersPortGoesWithItsHostOnly() {
        assertThat(mail(processed(Map.of())).getPort()).as("zero config: the in-process server").isEqualTo(2525);
        assertThat(mail(processed(Map.of("numbers-router.embedded-smtp.port", 2626))).getPort()).isEqualTo(2626);

        MailProperties operators = mail(processed(Map.of(ZeroConfigDefaults.MAIL_HOST, "smtp.corp.example")));
        assertThat(operators.getHost()).isEqualTo("smtp.corp.example");
        assertThat(operators.getPort()).as("unset: JavaMail's and the route's 25, not the in-process 2525").isNull();

        assertThat(mail(processed(Map.of(ZeroConfigDefaults.MAIL_HOST, "smtp.corp.example", "spring.mail.port", 587)))
                .getPort()).isEqualTo(587);
    }

    /**
     * spring.activemq.user/.password without a broker URL: the node would present them to its in-process broker,
     * which would refuse them, and every notification would end in the spool. It does not start, and says why.
     */
    @Test
    void clientCredentialsMeantForAnotherBrokerStopTheStartWithTheReason() {
        StandardEnvironment operatorsCredentials = processed(Map.of(
                "spring.activemq.user", "esb", "spring.activemq.password", "their-secret"));
        assertThatThrownBy(() -> EmbeddedBrokerConfiguration.refuseOtherClientCredentials(
                embeddedBroker(operatorsCredentials), operatorsCredentials))
                .hasMessageContaining("no spring.activemq.broker-url")
                .hasMessageContaining(EmbeddedBrokerProperties.USERNAME)
                .hasMessageNotContaining("their-secret");

        StandardEnvironment zeroConfig = processed(Map.of());
        EmbeddedBrokerConfiguration.refuseOtherClientCredentials(embeddedBroker(zeroConfig), zeroConfig);
    }

    private static EmbeddedBrokerProperties embeddedBroker(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("numbers-router.embedded-broker", EmbeddedBrokerProperties.class);
    }

    /** An environment holding only {@code configured} (no system environment: the machine's must not leak in). */
    private static StandardEnvironment processed(Map<String, Object> configured) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("operator", configured));
        new ZeroConfigDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    private static MailProperties mail(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("spring.mail", MailProperties.class);
    }

    private static ActiveMQProperties activeMq(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("spring.activemq", ActiveMQProperties.class);
    }
}
