package com.numbersrouter.routes;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.ShutdownTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator edits the alert routes during an SMTP outage (the README's pause-alerts how-to, or the error handling).
 * The alert being retried must not hold the swap, and with it every webhook, for Camel's shutdown timeout (15 s), and
 * it must not be lost either: the new route mails it once SMTP is back.
 */
@IsolatedNode
// Camel's own shutdown timeout as the node runs with it (camel-test makes it 10 s), which a route swap waited for
@ShutdownTimeout(15)
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1",
        "numbers-router.alerts.retry.max-redeliveries=1000",
        "numbers-router.alerts.retry.initial-delay=200",
        "numbers-router.alerts.retry.max-delay=200"
})
class RouteSwapDuringAlertRetryEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("swap-alert-broker");
    private static final Path ROUTES = TempFolders.copyOf(Path.of("routes"));
    private static final int SMTP_PORT = FreePort.find();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("numbers-router.routes.directory", ROUTES::toString);
    }

    @Test
    void anAlertInRetryNeitherHoldsWebhooksThroughASwapNorIsLost(CapturedOutput output) throws Exception {
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("On delivery attempt: 2"));
        assertThat(camel.getInflightRepository().size("event-alert-mail")).isOne();

        Path alerts = ROUTES.resolve("alerts.camel.yaml");
        String edited = Files.readString(alerts) + "\n# edited during an SMTP outage\n";
        assertOrdersAnsweredThroughTheSwap(bandwidth, alerts, edited, 1);

        // Renamed: the old route is removed, not replaced, and its stop must be bounded the same way. An alert in
        // retry first: the one above, back from its queue after the swap, or this one (of its own type, so the storm
        // guard mails it rather than batching it), queued behind it.
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")
                .replace("MESSAGING_LOST", "MESSAGING_GAINED")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getInflightRepository().size("event-alert-mail") == 1);
        assertOrdersAnsweredThroughTheSwap(bandwidth, alerts,
                edited.replace("id: event-alert-mail\n", "id: event-alert-mailer\n"), 1000);
        assertThat(camel.getRoute("event-alert-mail")).isNull();
        assertThat(camel.getRoute("event-alert-mailer")).isNotNull();

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 1);
            // as an alert or, inside the storm window its first attempt opened, in a digest
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains("9845550177");
        } finally {
            smtp.stop();
        }
    }

    /** Saves the routes file and posts orders until the swap is applied: none may wait for the alert's retries. */
    private void assertOrdersAnsweredThroughTheSwap(BandwidthClient bandwidth, Path file, String content, int firstOrder)
            throws Exception {
        double applied = reloads();
        Files.writeString(file, content);
        long slowest = 0;
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int n = firstOrder; reloads() == applied; n++) {
            assertThat(System.nanoTime() - giveUp).as("the edit applied within 60 s").isNegative();
            long started = System.nanoTime();
            HttpResponse<String> order = bandwidth.post("/webhooks/bandwidth", Orders.numbered(n));
            slowest = Math.max(slowest, System.nanoTime() - started);
            assertThat(order.statusCode()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(slowest)).as("the slowest order during the swap").isLessThan(Duration.ofSeconds(10));
    }

    private double reloads() {
        return meters.get("numbers.router.route.reloads").tag("outcome", "applied").counter().count();
    }
}
