package com.numbersrouter.infra;

import java.util.concurrent.TimeUnit;

import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import org.apache.activemq.broker.BrokerService;
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
 * The broker URL and SMTP host set, but blank (a template's unset variable: SPRING_ACTIVEMQ_BROKER_URL=${BROKER_URL}):
 * the same as not set, the in-process servers, for the connections as for the servers started. Before, the
 * servers started but the node's connections were given the blank value: every notification went to the spool.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = {"spring.activemq.broker-url=", "spring.mail.host=",
        "numbers-router.embedded-broker.connector=tcp://127.0.0.1:0"})
class BlankServerSettingsEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    BrokerService embeddedBroker;

    @Autowired
    EmbeddedBrokerProperties brokerProperties;

    @Autowired
    NotificationSpool spool;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void blankServerSettingsMeanTheInProcessServers(CapturedOutput output) throws Exception {
        BandwidthClient client = BandwidthClient.bandwidth(port);
        assertThat(client.post("/webhooks/bandwidth", Payloads.read("orders/portin-foc.xml")).statusCode()).isEqualTo(200);
        assertThat(client.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode()).isEqualTo(200);

        assertThat(spool.depth()).as("stored on the broker, not spooled").isZero();
        assertThat(EmbeddedBrokers.receiveAsEsb(embeddedBroker, brokerProperties, "bandwidth.orders")).isNotNull();
        await().atMost(20, TimeUnit.SECONDS).until(() -> output.getOut().contains("Alert delivered to noc@localhost"));
    }
}
