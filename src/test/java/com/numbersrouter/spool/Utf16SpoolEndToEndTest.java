package com.numbersrouter.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A UTF-16 order that arrives while the broker is down must reach bandwidth.orders as sent once it is back. */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9"})
class Utf16SpoolEndToEndTest {

    private static TestBroker broker = TestBroker.start("utf16-spool-broker");
    private static final int BROKER_PORT = broker.port();
    private static final Path SPOOL;

    static {
        try {
            SPOOL = Files.createTempDirectory("utf16-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", () -> "tcp://127.0.0.1:" + BROKER_PORT);
        registry.add("numbers-router.spool.directory", SPOOL::toString);
    }

    @Test
    void utf16OrderSpooledDuringAnOutageIsForwardedAsSent() throws Exception {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        String order = Orders.numbered(424242).replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
                .replace("Created a new number order", "Créé ☎");
        byte[] body = order.getBytes(StandardCharsets.UTF_16);

        broker.stop();
        var response = client.post("/webhooks/bandwidth", body, "Content-Type", "application/xml");
        System.out.println("PROBE spooled utf16 order answered " + response.statusCode());
        broker = TestBroker.start("utf16-spool-broker", BROKER_PORT);

        Message forwarded = broker.receive("bandwidth.orders", null, 15_000);
        Message deadLetter = broker.receive("bandwidth.unclassified", null, 2_000);
        System.out.println("PROBE forwarded: " + (forwarded == null ? null : ((TextMessage) forwarded).getText().equals(order)));
        if (deadLetter != null) {
            BytesMessage bytes = (BytesMessage) deadLetter;
            System.out.println("PROBE dead-lettered instead, reason: " + deadLetter.getStringProperty("DeadLetterReason"));
        }
        assertThat(forwarded).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) forwarded).getText()).isEqualTo(order);
    }
}
