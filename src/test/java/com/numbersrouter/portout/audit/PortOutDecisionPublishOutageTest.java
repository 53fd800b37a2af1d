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
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.broker.GroupCommitProperties;
import com.numbersrouter.portout.PortOutDecision;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import com.numbersrouter.support.FreePort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shipped {@code routes/portout-audit.camel.yaml} with no broker listening: the port-out answer must come back
 * unchanged and at once (recorded in the journal), the publish gives up after its retries with one WARN, and
 * nothing is thrown to the caller.
 * A plain Camel context (not the whole node): only the route file, its beans, a journal and a JMS component pointed
 * at a closed port are needed, and the node's shared test broker cannot be stopped without disturbing other tests.
 */
class PortOutDecisionPublishOutageTest {

    private static final String QUEUE = "bandwidth.portout.decisions";

    private final Logger portoutLog = (Logger) LoggerFactory.getLogger("numbers-router.portout");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final AtomicInteger connectionAttempts = new AtomicInteger();

    @TempDir
    Path journalDirectory;

    private PortOutDecisionJournal journal;
    private DefaultCamelContext camel;
    private BrokerGroupCommit groupCommit;
    private ProducerTemplate template;

    @BeforeEach
    void startTheRouteFileWithTheBrokerDown() throws Exception {
        logged.start();
        portoutLog.addAppender(logged);

        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("numbers-router.portout.decisions-queue", QUEUE);
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("portOutDecisionJmsProperties", new PortOutDecisionJmsProperties());
        camel.getRegistry().bind("portOutDecisionJson", new PortOutDecisionJson());
        journal = new PortOutDecisionJournal(journalDirectory, Duration.ofDays(400), Clock.systemUTC(),
                new PortOutDecisionJson(), new SimpleMeterRegistry());
        camel.getRegistry().bind("portOutDecisionJournal", journal);
        // Counts the tries: every commit asks for a connection, and none can be had.
        groupCommit = new BrokerGroupCommit(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + FreePort.find()) {
                    @Override
                    public Connection createConnection() throws JMSException {
                        connectionAttempts.incrementAndGet();
                        return super.createConnection();
                    }
                }, camel, new GroupCommitProperties(256, 1, Duration.ofSeconds(5)), new SimpleMeterRegistry());
        camel.getRegistry().bind("brokerGroupCommit", groupCommit);
        Path file = Path.of("routes/portout-audit.camel.yaml");
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.fromString("file:" + file, Files.readString(file)));
        // What portout-validation is to do once its answer is decided (a stand-in: that route is not ours to edit):
        // the last two steps are the ones README's "Audit" section gives.
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("file:answer-stand-in.camel.yaml", """
                - route:
                    id: answer-stand-in
                    from:
                      uri: direct:answer
                      steps:
                        - setVariable:
                            name: portOutDecision
                            simple: "${body}"
                        - setBody:
                            constant: "<PortOutValidationResponse><Portable>false</Portable></PortOutValidationResponse>"
                        - bean:
                            ref: portOutDecisionJournal
                            method: "record(${variable.portOutDecision})"
                        - wireTap:
                            uri: direct:portout-decision-publish
                            variableSend: portOutDecision
                """));
        camel.getShutdownStrategy().setTimeout(20);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws InterruptedException {
        camel.stop();
        groupCommit.destroy();
        journal.close();
        portoutLog.detachAppender(logged);
    }

    @Test
    void aDirectCallReturnsWithoutAnExceptionOnceTheRetriesAreSpent() {
        Exchange result = template.send("direct:portout-decision-publish",
                exchange -> exchange.getMessage().setBody(decision("WIN-OUTAGE-1")));

        assertThat(result.getException()).isNull();
        assertThat(result.isFailed()).isFalse();
        assertThat(connectionAttempts).hasValue(4);
        assertThat(warnings()).singleElement().asString()
                .contains("PON WIN-OUTAGE-1", "not published on " + QUEUE, "after 4 attempts", "in the audit journal");
    }

    @Test
    void aWireTappedPublishNeitherDelaysNorChangesTheAnswer() {
        long started = System.nanoTime();
        Object answer = template.requestBody("direct:answer", decision("WIN-OUTAGE-2"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(answer).isEqualTo("<PortOutValidationResponse><Portable>false</Portable></PortOutValidationResponse>");
        // the retries alone take 1 + 2 + 4 s; the answer must not wait for any of them
        assertThat(tookMillis).isLessThan(3000);
        assertThat(warnings()).isEmpty();
        assertThat(journal.find("WIN-OUTAGE-2", null, null, 10)).singleElement()
                .satisfies(recorded -> assertThat(recorded.codes()).containsExactly(7513));

        await().atMost(30, TimeUnit.SECONDS).until(() -> !warnings().isEmpty());
        assertThat(warnings()).singleElement().asString().contains("PON WIN-OUTAGE-2", "after 4 attempts");
        assertThat(connectionAttempts).hasValue(4);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static PortOutDecision decision(String pon) {
        return new PortOutDecision(Instant.parse("2025-03-04T10:15:30Z"), pon, List.of("9195550188"), false,
                List.of(7513), "directory:csv", 12);
    }
}
