package com.numbersrouter.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An alert still being retried when the node stops is not lost: its event stays on the queue, unacknowledged, and
 * the next run mails it. The retries of an SMTP outage run in memory for up to an hour, and a deploy or
 * {@code docker stop} in that hour must not drop the alert. Two real runs of the node over one broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class AlertRestartEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("alert-restart-broker");

    @TempDir
    Path data;

    @Test
    void anAlertBeingRetriedWhenTheNodeStopsIsMailedByTheNextRun(CapturedOutput output) throws Exception {
        int smtpPort = FreePort.find();
        String event = Payloads.read("events/messaging-lost.xml");

        // SMTP is down: the alert is retried, every 200 ms, for far longer than this run lasts.
        try (ConfigurableApplicationContext first = startNode(smtpPort)) {
            assertThat(BandwidthClient.bandwidth(port(first)).post("/webhooks/bandwidth", event).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("On delivery attempt: 2"));
            assertThat(first.getBean(CamelContext.class).getInflightRepository().size("event-alert-mail")).isOne();
        }
        assertThat(BROKER.receive("DLQ.bandwidth.events", null, 100)).as("stopped, not dead-lettered").isNull();

        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (ConfigurableApplicationContext second = startNode(smtpPort)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 1);
            MimeMessage alert = smtp.getReceivedMessages()[0];
            assertThat(alert.getSubject()).contains("MESSAGING_LOST");
        } finally {
            smtp.stop();
        }
    }

    private ConfigurableApplicationContext startNode(int smtpPort) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.activemq.broker-url=" + BROKER.url(),
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtpPort,
                "--numbers-router.alerts.to=noc@example.net",
                "--numbers-router.alerts.retry.max-redeliveries=1000",
                "--numbers-router.alerts.retry.initial-delay=200",
                "--numbers-router.alerts.retry.max-delay=200",
                // as a SIGKILL after docker stop's grace would: the node does not wait for the retries to end
                "--camel.main.shutdown-timeout=1",
                "--numbers-router.spool.directory=" + data.resolve("spool"),
                "--numbers-router.portout.audit.directory=" + data.resolve("portout-decisions"),
                "--numbers-router.routes.watch=false",
                "--numbers-router.webhook.credentials.bandwidth-test.username=" + BandwidthClient.USERNAME,
                "--numbers-router.webhook.credentials.bandwidth-test.password=" + BandwidthClient.PASSWORD));
        return new SpringApplicationBuilder(NumbersRouterApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
