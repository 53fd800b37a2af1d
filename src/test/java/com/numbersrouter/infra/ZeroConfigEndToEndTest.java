package com.numbersrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.portout.audit.PortOutAuditProperties;
import com.numbersrouter.spool.SpoolProperties;
import com.numbersrouter.support.Payloads;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no broker and no SMTP server configured, the node runs the whole flow on its in-process broker (persistent,
 * with a TCP connector an ESB can consume from, with the broker's credentials only) and its in-process SMTP server,
 * which logs each alert. No broker password is configured either: the node generates one and logs it once.
 * Only ports and the data folder are moved out of the way for the test.
 */
@ExtendWith(OutputCaptureExtension.class)
@IsolatedNode
@TestPropertySource(properties = "numbers-router.embedded-broker.connector=tcp://127.0.0.1:0")
class ZeroConfigEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    BrokerService embeddedBroker;

    @Autowired
    EmbeddedBrokerProperties brokerProperties;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void ordersReachTheEmbeddedBrokerOverTcpAndAlertsAreLogged(CapturedOutput output) throws Exception {
        assertThat(embeddedBroker.isPersistent()).isTrue();
        // a backlog must wait on disk, never fill the node's heap (ActiveMQ's own default is 1 GB of memory)
        assertThat(embeddedBroker.getSystemUsage().getMemoryUsage().getLimit()).isEqualTo(16L * 1024 * 1024);
        assertThat(embeddedBroker.getSystemUsage().getStoreUsage().getLimit()).isPositive();
        BandwidthClient client = BandwidthClient.bandwidth(port);

        assertThat(client.post("/webhooks/bandwidth", Payloads.read("orders/portin-foc.xml")).statusCode()).isEqualTo(200);
        assertThat(client.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode()).isEqualTo(200);

        Message order = EmbeddedBrokers.receiveAsEsb(embeddedBroker, brokerProperties, "bandwidth.orders");
        assertThat(order).isNotNull();
        assertThat(order.getStringProperty("OrderType")).isEqualTo("portins");
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                output.getOut().contains("Alert delivered to noc@localhost: [numbers-router] MESSAGING_LOST: 2 numbers affected"));
    }

    /** The in-process broker's store is on a disk the alert rules watch, beside the spool's and the journal's. */
    @Test
    void theDisksOfTheNodesStoresAreMeasured(@Autowired MeterRegistry meters,
            @Autowired SpoolProperties spool, @Autowired PortOutAuditProperties audit) {
        for (Path store : List.of(brokerProperties.dataDirectory(), spool.directory(), audit.audit().directory())) {
            String path = store.toFile().getAbsolutePath();
            assertThat(meters.get("disk.total").tag("path", path).gauge().value()).as(path).isPositive();
            assertThat(meters.get("disk.free").tag("path", path).gauge().value()).as(path).isPositive();
        }
    }

    /**
     * The folders the node keeps orders, events and port-out decisions in are created for its own user only: with
     * the usual umask every user of the host could read them.
     */
    @Test
    void theFoldersOfTheNodesStoresAreReadableByItsUserOnly(@Autowired SpoolProperties spool,
            @Autowired PortOutAuditProperties audit) throws Exception {
        for (Path store : List.of(brokerProperties.dataDirectory(), spool.directory(), audit.audit().directory())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).as(store.toString())
                    .isEqualTo("rwx------");
        }
    }

    /** A backlog of events waits on the broker's disk, not pushed ahead into the slow alert mailer's memory. */
    @Test
    void theNodesConsumersAreSentTenMessagesAheadNotActiveMqsThousand(@Autowired ConnectionFactory connectionFactory) {
        ConnectionFactory target = connectionFactory instanceof SingleConnectionFactory shared
                ? shared.getTargetConnectionFactory() : connectionFactory;
        assertThat(target).isInstanceOf(ActiveMQConnectionFactory.class);
        assertThat(((ActiveMQConnectionFactory) target).getPrefetchPolicy().getQueuePrefetch()).isEqualTo(10);
    }

    /** Anyone else who reaches the port could take the orders, forge notifications or drain the dead letters. */
    @Test
    void tcpClientsWithoutTheBrokersCredentialsAreRefused() throws Exception {
        String tcp = EmbeddedBrokers.tcpUrl(embeddedBroker);

        EmbeddedBrokers.assertRefused(new ActiveMQConnectionFactory(tcp), "no credentials");
        EmbeddedBrokers.assertRefused(new ActiveMQConnectionFactory(
                brokerProperties.username(), "not-" + brokerProperties.password(), tcp), "a wrong password");
        EmbeddedBrokers.assertRefused(new ActiveMQConnectionFactory("admin", brokerProperties.password(), tcp),
                "another username");
    }

    @Test
    void theGeneratedPasswordIsLoggedOnceAtStartUp(CapturedOutput output) {
        String password = brokerProperties.password();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(output.getOut()).contains("Using generated in-process broker credentials: username 'numbers-router', "
                + "password '" + password + "'");
        assertThat(StringUtils.countOccurrencesOf(output.getOut(), password)).as("times the password is logged").isOne();
    }
}
