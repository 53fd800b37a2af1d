package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.broker.GroupCommitProperties;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.support.FreePort;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shipped {@code routes/portout-audit.camel.yaml}, fed from the journal, with the broker down and then back: a
 * decision is recorded (and answered) without waiting for the broker, the feed logs one WARN, and every decision made
 * during the outage reaches the queue, in order, once a broker listens again; also across a restart of the feed.
 * A plain Camel context (not the whole node): only the route file, its beans, a journal and a group commit on a port
 * where the test starts its own broker are needed; the node's shared test broker cannot be stopped without
 * disturbing other tests.
 */
class PortOutDecisionPublishOutageTest {

    private static final String QUEUE = "bandwidth.portout.decisions";

    private final Logger portoutLog = (Logger) LoggerFactory.getLogger("numbers-router.portout");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final int brokerPort = FreePort.find();

    @TempDir
    Path journalDirectory;

    private PortOutDecisionJournal journal;
    private DefaultCamelContext camel;
    private BrokerGroupCommit groupCommit;
    private PortOutDecisionFeed feed;
    private TestBroker broker;

    @BeforeEach
    void startTheRouteFileWithTheBrokerDown() throws Exception {
        logged.start();
        portoutLog.addAppender(logged);

        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("numbers-router.portout.decisions-queue", QUEUE);
        properties.setProperty("numbers-router.portout.decisions-time-to-live", "7d");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("portOutDecisionJmsProperties", new PortOutDecisionJmsProperties());
        camel.getRegistry().bind("portOutDecisionJson", new PortOutDecisionJson());
        journal = new PortOutDecisionJournal(journalDirectory, Duration.ofDays(400), Duration.ofSeconds(10), Clock.systemUTC(),
                new PortOutDecisionJson(), new SimpleMeterRegistry());
        // Nothing listens on the port yet: every commit fails to connect until the test starts a broker there.
        groupCommit = new BrokerGroupCommit(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort), camel,
                new GroupCommitProperties(256, 1, Duration.ofSeconds(5)), new SimpleMeterRegistry());
        camel.getRegistry().bind("brokerGroupCommit", groupCommit);
        Path file = Path.of("routes/portout-audit.camel.yaml");
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.fromString("file:" + file, Files.readString(file)));
        camel.start();
        feed = feed();
        feed.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        feed.stop();
        camel.stop();
        groupCommit.destroy();
        journal.close();
        if (broker != null) {
            broker.stop();
        }
        portoutLog.detachAppender(logged);
    }

    @Test
    void decisionsMadeWhileTheBrokerIsDownArePublishedInOrderOnceItIsBack() throws Exception {
        journal.record(decision("WIN-OUTAGE-1"));
        journal.record(decision("WIN-OUTAGE-2"));
        // recorded is answered, with no broker there (the journal knows nothing of it: the feed reads it)
        assertThat(journal.find(null, null, null, 10)).extracting(PortOutDecision::pon)
                .containsExactlyInAnyOrder("WIN-OUTAGE-1", "WIN-OUTAGE-2");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings().isEmpty());
        journal.record(decision("WIN-OUTAGE-3"));

        broker = TestBroker.start("decisions-back", brokerPort);

        assertThat(pons(broker, 3)).containsExactly("WIN-OUTAGE-1", "WIN-OUTAGE-2", "WIN-OUTAGE-3");
        assertThat(warnings()).singleElement().asString()
                .contains("not published on " + QUEUE, "stay in the audit journal");
        assertThat(broker.receive(QUEUE, null, 500)).as("each published once").isNull();
    }

    @Test
    void decisionsLeftUnpublishedAtStopArePublishedByTheNextRun() throws Exception {
        journal.record(decision("WIN-RESTART-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings().isEmpty());
        feed.stop(); // the node stops with the broker still down

        broker = TestBroker.start("decisions-next-run", brokerPort);
        feed = feed(); // the next run, on the same journal
        feed.start();
        journal.record(decision("WIN-RESTART-2"));

        assertThat(pons(broker, 2)).containsExactly("WIN-RESTART-1", "WIN-RESTART-2");
    }

    private PortOutDecisionFeed feed() {
        return new PortOutDecisionFeed(journal, new PortOutDecisionJson(),
                new DecisionPublishRoute(camel, groupCommit, PortOutAuditConfiguration.PUBLISH_ROUTE),
                QUEUE, 256, Duration.ofSeconds(1), new SimpleMeterRegistry());
    }

    private static List<String> pons(TestBroker broker, int count) throws Exception {
        List<String> pons = broker.awaitProperty(QUEUE, "PON", count);
        assertThat(pons).hasSize(count);
        return pons;
    }

    private List<String> warnings() {
        synchronized (logged.list) {
            return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static PortOutDecision decision(String pon) {
        return new PortOutDecision(Instant.parse("2025-03-04T10:15:30Z"), pon, List.of("9195550188"), false,
                List.of(7513), "directory:csv", 12);
    }
}
