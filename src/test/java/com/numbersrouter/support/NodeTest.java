package com.numbersrouter.support;

import com.icegreen.greenmail.util.GreenMail;
import com.numbersrouter.NumbersRouterApplication;
import com.numbersrouter.alerts.AlertStormGuard;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import com.numbersrouter.portout.PortOutGatekeeper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running node wired to real servers, as an operator would run it against existing infrastructure: a real
 * ActiveMQ broker over TCP and a real SMTP server. Shared by the end-to-end tests, so Spring caches one context.
 */
@CamelSpringBootTest
@SpringBootTest(classes = NumbersRouterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "numbers-router.webhook.credentials.bandwidth-test.username=" + BandwidthClient.USERNAME,
                "numbers-router.webhook.credentials.bandwidth-test.password=" + BandwidthClient.PASSWORD,
                "numbers-router.management.password=" + Management.PASSWORD,
                "numbers-router.webhook.credentials.second-subscription.username=second-subscription",
                "numbers-router.webhook.credentials.second-subscription.password=another-secret",
                "numbers-router.alerts.to=noc@example.net",
                "numbers-router.alerts.from=numbers-router@example.net",
                "numbers-router.portout.check-subscriber-name=true",
                "numbers-router.spool.directory=target/test-spool/${random.uuid}",
                "numbers-router.portout.audit.directory=target/test-portout-decisions/${random.uuid}",
                // One storm window for a whole run: a test's events of one type fall in one window however slow the
                // machine, and the digest timer (its period is the window) never mails during a test. A test that
                // wants the digest sends it itself (AlertDigest.sendPending).
                "numbers-router.alerts.storm.window=1h",
                // Copies a test sends of a body with no time of its own (events) count as one whatever the clock: the
                // windows are fixed slices of time, and with the 10-minute default two posts either side of hh:m0:00
                // would be two. A slice of 100 years ends in 2069. Each test starts with the keys cleared (below), so
                // the long window joins nothing across tests.
                "numbers-router.dedupe.body-window=36500d"
        })
public abstract class NodeTest {

    protected static final String ORDERS = "bandwidth.orders";
    protected static final String EVENTS_DLQ = "DLQ.bandwidth.events";
    protected static final String UNCLASSIFIED = "bandwidth.unclassified";

    protected static final TestBroker BROKER = TestBroker.start("node-test-broker");
    protected static final GreenMail SMTP = TestSmtp.start();

    @LocalServerPort
    protected int port;

    @Autowired
    private IdempotentRepository notificationDeduplication;

    @Autowired
    private AlertStormGuard alertStormGuard;

    @Autowired
    private PortOutGatekeeper portOutGatekeeper;

    /** Tests post the same fixtures again and again: each starts with a node that has seen none of them. */
    @BeforeEach
    void forgetSeenNotifications() {
        notificationDeduplication.clear();
        alertStormGuard.reset();
        portOutGatekeeper.reset();
    }

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> TestSmtp.port(SMTP));
    }

    protected BandwidthClient bandwidth() {
        return BandwidthClient.bandwidth(port);
    }

    protected BandwidthClient anonymous() {
        return BandwidthClient.anonymous(port);
    }
}
