package com.numbersrouter.operations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With numbers-router.zero-config=false (docker-compose.yml, the Kubernetes example) the node fills in no password:
 * a Secret that did not mount, or a variable left unset, stops the start naming it, instead of a password made up,
 * written to a log that is shipped and kept, and different at every start.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionSecretsStartTest {

    private static final TestBroker BROKER = TestBroker.start("production-secrets-broker");

    @TempDir
    Path data;

    @AfterAll
    static void stopBroker() {
        BROKER.stop();
    }

    @Test
    void withoutWebhookCredentialsTheStartStopsNamingThem(CapturedOutput output) {
        assertThatThrownBy(() -> start("--numbers-router.management.password=" + Management.PASSWORD))
                .hasStackTraceContaining("no webhook credentials are set: set WEBHOOK_USERNAME and WEBHOOK_PASSWORD");
        assertThat(output.getOut()).doesNotContain("Using generated");
    }

    @Test
    void withoutTheManagementPasswordTheStartStopsNamingIt(CapturedOutput output) {
        assertThatThrownBy(() -> start(webhookCredentials()))
                .hasStackTraceContaining("MANAGEMENT_PASSWORD (numbers-router.management.password) is not set");
        assertThat(output.getOut()).doesNotContain("Using generated");
    }

    @Test
    void withBothTheNodeStartsAndLogsNoPassword(CapturedOutput output) {
        List<String> args = new ArrayList<>(List.of(webhookCredentials()));
        args.add("--numbers-router.management.password=" + Management.PASSWORD);
        try (ConfigurableApplicationContext node = start(args.toArray(String[]::new))) {
            assertThat(node.isRunning()).isTrue();
        }
        assertThat(output.getOut()).doesNotContain("Using generated").doesNotContain(Management.PASSWORD)
                .doesNotContain(BandwidthClient.PASSWORD);
    }

    private static String[] webhookCredentials() {
        return new String[] {
                "--numbers-router.webhook.credentials.primary.username=" + BandwidthClient.USERNAME,
                "--numbers-router.webhook.credentials.primary.password=" + BandwidthClient.PASSWORD};
    }

    private ConfigurableApplicationContext start(String... secrets) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("numbers-router.zero-config", "false");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("spring.activemq.broker-url", BROKER.url());
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", "9");
        properties.put("numbers-router.routes.watch", "false");
        properties.put("numbers-router.spool.directory", data.resolve("spool").toString());
        properties.put("numbers-router.portout.audit.directory", data.resolve("portout-decisions").toString());
        // blank whatever the shell exports (the README's curl examples export WEBHOOK_PASSWORD): the secrets given
        // here, if any, are all the node gets
        properties.put("numbers-router.webhook.credentials.primary.username", "");
        properties.put("numbers-router.webhook.credentials.primary.password", "");
        properties.put("numbers-router.management.password", "");
        for (String secret : secrets) {
            String[] keyValue = secret.substring(2).split("=", 2);
            properties.put(keyValue[0], keyValue[1]);
        }
        return new SpringApplicationBuilder(NumbersRouterApplication.class).run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
}
