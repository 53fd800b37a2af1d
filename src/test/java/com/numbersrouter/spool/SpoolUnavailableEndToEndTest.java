package com.numbersrouter.spool;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.numbersrouter.alerts.AlertDigest;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker is down and the spool cannot take the notification either: the node must say so (503 + Retry-After),
 * never 200 for a notification it does not hold, and never a 500 a sender cannot tell from a bug. The broker here
 * is a port nothing listens on, for the whole run.
 */
@IsolatedNode
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        "numbers-router.spool.max-files=2"
})
class SpoolUnavailableEndToEndTest {

    private static final Path SPOOL = TempFolders.create("numbers-router-spool");
    private static final int NO_BROKER = FreePort.find();

    @LocalServerPort
    int port;

    @Autowired
    NotificationSpool spool;

    @Autowired
    AlertDigest digest;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", () -> "tcp://127.0.0.1:" + NO_BROKER);
        registry.add("numbers-router.spool.directory", SPOOL::toString);
    }

    @Test
    @Order(1)
    void aSpoolWhoseDiskFailsGets503() throws IOException {
        Path away = SPOOL.resolveSibling(SPOOL.getFileName() + "-away");
        Files.move(SPOOL, away);
        Files.writeString(SPOOL, "not a folder: every write in it fails");
        try {
            assertUnavailable(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth", Orders.numbered(1)));
            assertUnavailable(BandwidthClient.bandwidth(port).post("/webhooks/bandwidth",
                    Payloads.read("events/messaging-lost.xml")));
        } finally {
            Files.delete(SPOOL);
            Files.move(away, SPOOL);
        }
        assertThat(spool.depth()).isZero();
    }

    @Test
    @Order(2)
    void aFullSpoolGets503() {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(2)).statusCode()).isEqualTo(200);
        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(3)).statusCode()).isEqualTo(200);
        assertThat(spool.depth()).isEqualTo(2);

        assertUnavailable(client.post("/webhooks/bandwidth", Orders.numbered(4)));
        assertThat(spool.depth()).isEqualTo(2);
    }

    /**
     * The alert digest's window with no broker to take its events from: they wait on the broker for the next window,
     * said in one WARN line and counted as a failed attempt, not thrown at its timer route (whose error handler would
     * log a stack trace every window).
     */
    @Test
    @Order(3)
    void theDigestWindowWithNoBrokerSaysSoInOneLine(CapturedOutput output) {
        double retried = meters.get("numbers.router.alerts").tag("outcome", "retried").counter().count();

        assertThat(digest.sendPending()).isZero();

        // no mail was tried: NumbersRouterAlertMailFailing, which reads this, would send the operator to the SMTP server
        assertThat(meters.get("numbers.router.alerts").tag("outcome", "retried").counter().count())
                .isEqualTo(retried);
        assertThat(output).contains("Alert digest not sent, the broker is unavailable; its events wait for the next"
                + " window");
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.body()).startsWith("Temporarily unable to store the notification; retry later");
    }
}
