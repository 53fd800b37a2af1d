package com.numbersrouter.ingress;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How operators add credential pairs, bound the way Spring Boot binds them at start-up: one property source standing
 * for {@code application.yaml} (its {@code primary} pair, resolved from {@code WEBHOOK_USERNAME}/{@code _PASSWORD}),
 * one for {@code config/application.yaml} or the environment, which take precedence over it. A pair added there must
 * be accepted alongside the primary one, never instead of it: that subscription's webhooks would get 401 and Bandwidth
 * does not retry, so its notifications would be lost. Only binding and {@link WebhookCredentials#from} are used, so
 * the class also compiles against the former {@code List} type, where it fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookCredentialsTest {

    private static final String PREFIX = "numbers-router.webhook.credentials";

    /** application.yaml with WEBHOOK_USERNAME=bandwidth and WEBHOOK_PASSWORD=env-secret set. */
    private static final ConfigurationPropertySource APPLICATION_YAML = new MapConfigurationPropertySource(Map.of(
            PREFIX + ".primary.username", "bandwidth",
            PREFIX + ".primary.password", "env-secret"));

    @Test
    void aPairNamedInConfigApplicationYamlIsAddedToThePrimaryOne() {
        ConfigurationPropertySource configFile = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".reseller-b.username", "reseller-b",
                PREFIX + ".reseller-b.password", "b-secret"));

        WebhookCredentials credentials = WebhookCredentials.from(bind(configFile, APPLICATION_YAML), true);

        assertThat(credentials.accepts("bandwidth:env-secret")).as("the primary pair, from the environment").isTrue();
        assertThat(credentials.accepts("reseller-b:b-secret")).as("the pair from config/application.yaml").isTrue();
        assertThat(credentials.accepts("reseller-b:env-secret")).isFalse();
    }

    /** The README's password change: the new pair beside the old, under the same username, until Bandwidth uses it. */
    @Test
    void twoPairsWithTheSameUsernameAreBothAcceptedDuringAPasswordChange() {
        ConfigurationPropertySource configFile = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".next.username", "bandwidth",
                PREFIX + ".next.password", "new-secret"));

        WebhookCredentials credentials = WebhookCredentials.from(bind(configFile, APPLICATION_YAML), true);

        assertThat(credentials.accepts("bandwidth:env-secret")).as("the password Bandwidth still sends").isTrue();
        assertThat(credentials.accepts("bandwidth:new-secret")).as("the one it will send").isTrue();
        assertThat(credentials.accepts("bandwidth:other")).isFalse();
    }

    /**
     * Map entries are found by listing the environment, which needs the prefix's dash dropped ({@code NUMBERSROUTER_});
     * the {@code NUMBERS_ROUTER_} form that sets plain properties adds no entry, hence the README's spelling.
     */
    @Test
    void aPairFromEnvironmentVariablesIsAddedUnderItsLowerCaseName() {
        ConfigurationPropertySource environment = environment(Map.of(
                "NUMBERSROUTER_WEBHOOK_CREDENTIALS_RESELLERB_USERNAME", "reseller-b",
                "NUMBERSROUTER_WEBHOOK_CREDENTIALS_RESELLERB_PASSWORD", "b-secret"));
        ConfigurationPropertySource plainPropertyForm = environment(Map.of(
                "NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_RESELLERB_USERNAME", "reseller-b",
                "NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_RESELLERB_PASSWORD", "b-secret"));

        WebhookCredentials credentials = WebhookCredentials.from(bind(environment, APPLICATION_YAML), true);

        assertThat(names(environment, APPLICATION_YAML)).containsOnlyKeys("primary", "resellerb");
        assertThat(credentials.accepts("bandwidth:env-secret")).isTrue();
        assertThat(credentials.accepts("reseller-b:b-secret")).isTrue();
        assertThat(names(plainPropertyForm, APPLICATION_YAML)).containsOnlyKeys("primary");
    }

    /** The form the README used to give ({@code credentials[0]}, or a YAML list) still binds, as the entry "0". */
    @Test
    void theOldIndexedFormStillBindsAndNoLongerDropsThePrimaryPair() {
        ConfigurationPropertySource oldConfigFile = new MapConfigurationPropertySource(Map.of(
                PREFIX + "[0].username", "alice",
                PREFIX + "[0].password", "first-secret"));

        WebhookCredentials credentials = WebhookCredentials.from(bind(oldConfigFile, APPLICATION_YAML), true);

        assertThat(names(oldConfigFile, APPLICATION_YAML)).containsOnlyKeys("0", "primary");
        assertThat(credentials.accepts("alice:first-secret")).isTrue();
        assertThat(credentials.accepts("bandwidth:env-secret")).isTrue();
    }

    @Test
    void aHalfPairIsIgnoredWithOneWarningNamingItButNeverThePassword(CapturedOutput output) {
        ConfigurationPropertySource configFile = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".reseller-b.password", "half-pair-secret",
                PREFIX + ".reseller-c.username", "reseller-c"));

        WebhookCredentials credentials = WebhookCredentials.from(bind(configFile, APPLICATION_YAML), true);

        String log = output.getOut();
        assertThat(log.split("Webhook credentials 'reseller-b' have no username", -1)).hasSize(2);
        assertThat(log.split("Webhook credentials 'reseller-c' have no password", -1)).hasSize(2);
        assertThat(log).contains("WARN").doesNotContain("half-pair-secret").doesNotContain("'primary'")
                .doesNotContain("generated");
        assertThat(credentials.accepts("bandwidth:env-secret")).isTrue();
        assertThat(credentials.accepts(":half-pair-secret")).isFalse();
    }

    /**
     * WEBHOOK_USERNAME set, WEBHOOK_PASSWORD forgotten, and no other pair: the node does not start on generated
     * credentials (healthy-looking, and 401 to every real webhook); the warning names the variable to set.
     */
    @Test
    void aHalfPrimaryPairAloneStopsTheStartAndNamesTheEnvironmentVariable(CapturedOutput output) {
        ConfigurationPropertySource environment = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".primary.username", "bandwidth",
                PREFIX + ".primary.password", ""));

        assertThatThrownBy(() -> WebhookCredentials.from(bind(environment), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Set both WEBHOOK_USERNAME and WEBHOOK_PASSWORD");
        assertThat(output.getOut()).contains("Webhook credentials 'primary' have no password")
                .contains("Set WEBHOOK_PASSWORD or remove the entry").doesNotContain("Using generated");
    }

    /** The README's own trip: the password exported in the shell for curl, the node started again from it. */
    @Test
    void aPasswordWithoutItsUsernameStopsTheStart(CapturedOutput output) {
        ConfigurationPropertySource environment = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".primary.username", "",
                PREFIX + ".primary.password", "exported-for-curl"));

        assertThatThrownBy(() -> WebhookCredentials.from(bind(environment), true)).isInstanceOf(IllegalStateException.class);
        assertThat(output.getOut()).contains("Set WEBHOOK_USERNAME or remove the entry")
                .doesNotContain("exported-for-curl");
    }

    /** The spelling every other setting's variable has, which binds nothing for a credential pair: said at start. */
    @Test
    void aCredentialVariableSpeltLikeTheOtherSettingsIsNamedAsNotRead(CapturedOutput output) {
        WebhookCredentials.warnAboutIgnoredVariables(Map.of(
                "NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_RESELLERB_PASSWORD", "never-logged",
                "NUMBERSROUTER_WEBHOOK_CREDENTIALS_RESELLERB_USERNAME", "reseller-b",
                "NUMBERS_ROUTER_ORDERS_QUEUE", "orders"));

        assertThat(output.getOut()).contains("Environment variable NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_RESELLERB_PASSWORD"
                + " is not read").doesNotContain("never-logged").doesNotContain("variable NUMBERSROUTER_")
                .doesNotContain("NUMBERS_ROUTER_ORDERS_QUEUE");
    }

    /** application.yaml as shipped, with WEBHOOK_USERNAME and WEBHOOK_PASSWORD unset: "not set", no warning. */
    @Test
    void anEntryWithBothHalvesBlankIsSilentlyNotSet(CapturedOutput output) {
        ConfigurationPropertySource unsetEnvironment = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".primary.username", "",
                PREFIX + ".primary.password", ""));

        WebhookCredentials.from(bind(unsetEnvironment), true);

        assertThat(output.getOut()).doesNotContain("'primary'").contains("Using generated webhook credentials");
    }

    /**
     * In production (numbers-router.zero-config=false) a node without credentials does not start: a generated
     * password would sit in the log and change at every start. Nothing is logged, and no password made up.
     */
    @Test
    void inProductionNoPairStopsTheStartInsteadOfGeneratingOne(CapturedOutput output) {
        ConfigurationPropertySource unsetEnvironment = new MapConfigurationPropertySource(Map.of(
                PREFIX + ".primary.username", "",
                PREFIX + ".primary.password", ""));

        assertThatThrownBy(() -> WebhookCredentials.from(bind(unsetEnvironment), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("numbers-router.zero-config=false")
                .hasMessageContaining("set WEBHOOK_USERNAME and WEBHOOK_PASSWORD");
        assertThat(output.getOut()).doesNotContain("Using generated").doesNotContain("password '");
        // and a configured pair is all it needs
        assertThat(WebhookCredentials.from(bind(new MapConfigurationPropertySource(Map.of(
                PREFIX + ".primary.username", "bandwidth",
                PREFIX + ".primary.password", "from-the-secret"))), false).accepts("bandwidth:from-the-secret")).isTrue();
    }

    private static WebhookProperties bind(ConfigurationPropertySource... highestPrecedenceFirst) {
        return new Binder(highestPrecedenceFirst).bind("numbers-router.webhook", WebhookProperties.class).get();
    }

    private static ConfigurationPropertySource environment(Map<String, Object> variables) {
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }

    private static Map<String, WebhookProperties.Credential> names(ConfigurationPropertySource... sources) {
        return new Binder(sources).bind(PREFIX, Bindable.mapOf(String.class, WebhookProperties.Credential.class))
                .get();
    }
}
