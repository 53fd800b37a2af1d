package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The subscriber directory in config/ reloads on save with the routes' guarantee: a file that does not load is
 * refused and the previous version keeps answering port-outs; the health endpoint names the problem until a good
 * save. The node runs on a copy of the demo directory.
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
@ExtendWith(OutputCaptureExtension.class)
class ConfigReloadEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("config-reload-broker");
    private static final Path SUBSCRIBERS = copyOfDemoDirectory();
    private static final Path RULES = SUBSCRIBERS.resolveSibling("portout-rules.yaml");
    private static final String PORT_OUT = "/webhooks/bandwidth/portout-validation";
    private static final java.util.concurrent.atomic.AtomicInteger PONS = new java.util.concurrent.atomic.AtomicInteger();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("numbers-router.portout.subscribers-file", SUBSCRIBERS::toString);
        registry.add("numbers-router.portout.rules-file", RULES::toString);
    }

    @Test
    void savedDirectoryIsAppliedABrokenOneIsRefusedAndTheFixRecovers() throws IOException {
        String valid = Payloads.read("portout/valid.xml");
        String original = Files.readString(SUBSCRIBERS);
        assertThat(answer(valid)).contains("<Portable>true</Portable>");

        // The operator marks a number inactive: port-outs of it are now denied with 7518.
        String inactive = original.replaceFirst("(9195550189,ACCT-7781234,[^\\n]*),true", "$1,false");
        assertThat(inactive).isNotEqualTo(original);
        Files.writeString(SUBSCRIBERS, inactive);
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(valid).contains("<Code>7518</Code>"));

        // A save with a clear-text PIN is refused: the directory in force (number inactive) keeps answering.
        Files.writeString(SUBSCRIBERS, Files.readString(SUBSCRIBERS) + "9195550199,ACCT-1,123456,27606,Someone,true\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> health().contains("\"configReload\":{\"status\":\"OUT_OF_SERVICE\""));
        assertThat(health()).contains("line").doesNotContain("123456");
        assertThat(answer(valid)).contains("<Code>7518</Code>");

        Files.writeString(SUBSCRIBERS, original);
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(valid).contains("<Portable>true</Portable>"));
        assertThat(health()).contains("\"configReload\":{\"status\":\"UP\"");
    }

    @Test
    void savedRulesApplyABrokenRulesFileIsRefusedAndTheFixRecovers(CapturedOutput output) throws IOException {
        String twoNumbers = Payloads.read("portout/valid.xml");
        assertThat(answer(twoNumbers)).contains("<Portable>true</Portable>");

        Files.writeString(RULES, "max-telephone-numbers: 1\ncheck-pin: false\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(twoNumbers).contains("<Code>7517</Code>"));
        // what is in force now, in the log: an edit that loads but checks less must not go unseen
        assertThat(output).contains("Port-out rules in force: by default require [account-number pin zip-code], check"
                + " [account-number zip-code (five-digit) number-active], at most 1 number(s) a request, acceptable"
                + " values []; 0 account(s) with rules of their own");

        Files.writeString(RULES, "max-telephone-numbers: 1\nrequire-pinn: false\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> health().contains("unknown rule 'require-pinn'"));
        assertThat(health()).contains("\"configReload\":{\"status\":\"OUT_OF_SERVICE\"");
        assertThat(answer(twoNumbers)).contains("<Code>7517</Code>");
        // counted once as refused, and held at 0 for as long as the file stays refused: what an alert fires on
        assertThat(rulesHealthy()).isZero();

        Files.writeString(RULES, "# all rules from the application properties\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(twoNumbers).contains("<Portable>true</Portable>"));
        assertThat(health()).contains("\"configReload\":{\"status\":\"UP\"");
        assertThat(rulesHealthy()).isEqualTo(1.0);

        // Deleted (a volume not mounted, a clean-up): refused like a broken file, the rules in force stay
        Files.writeString(RULES, "max-telephone-numbers: 1\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(twoNumbers).contains("<Code>7517</Code>"));
        Files.delete(RULES);
        await().atMost(15, TimeUnit.SECONDS).until(() -> health().contains("was deleted: the rules in force stay"));
        assertThat(answer(twoNumbers)).contains("<Code>7517</Code>");
        assertThat(rulesHealthy()).isZero();
        Files.writeString(RULES, "# all rules from the application properties\n");
        await().atMost(15, TimeUnit.SECONDS).until(() -> answer(twoNumbers).contains("<Portable>true</Portable>"));
        assertThat(health()).contains("\"configReload\":{\"status\":\"UP\"");
    }

    /**
     * Each call is a new port-out (its own PON): the same request again would be a Bandwidth retry, which gets
     * the answer it got before, whatever has been saved since.
     */
    private String answer(String request) {
        String fresh = request.replaceFirst("<PON>[^<]*</PON>", "<PON>RELOAD-" + PONS.incrementAndGet() + "</PON>");
        return BandwidthClient.bandwidth(port).post(PORT_OUT, fresh).body();
    }

    private double rulesHealthy() {
        return meters.get("numbers.router.config.reload.healthy").tag("file", "portoutRules").gauge().value();
    }

    private String health() {
        return new Management(managementPort).health();
    }

    private static Path copyOfDemoDirectory() {
        try {
            Path copy = Files.createTempDirectory("numbers-router-config").resolve("subscribers.csv");
            Files.copy(Path.of("config/subscribers.csv"), copy);
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
