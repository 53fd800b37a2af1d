package com.numbersrouter.spool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.TempFolders;
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
    private static final Path SPOOL = TempFolders.create("utf16-spool");

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
        assertThat(client.post("/webhooks/bandwidth", body, "Content-Type", "application/xml").statusCode())
                .as("stored in the local spool").isEqualTo(200);
        broker = TestBroker.start("utf16-spool-broker", BROKER_PORT);

        Message forwarded = broker.receive("bandwidth.orders", null, 15_000);
        assertThat(forwarded).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) forwarded).getText()).isEqualTo(order);
        assertThat(broker.receive("bandwidth.unclassified", null, 500)).as("not dead-lettered").isNull();
    }
}
