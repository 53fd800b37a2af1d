package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * What a log pipeline gets with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE} set: the webhook line as one JSON object
 * whose type, id, outcome and latency are fields of their own (what a Kibana or Loki query selects on), and no PIN
 * in any line. The node's own console format stays as it is (switching it would switch it for every test context
 * in this JVM): the test adds an appender with Spring Boot's structured encoder, which is what that setting installs.
 */
class StructuredWebhookLogEndToEndTest extends NodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIN = "999999"; // the wrong PIN in portout/wrong-pin.xml

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @AfterEach
    void detach() {
        root().detachAppender(appender);
        appender.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash", "gelf"})
    void eachWebhookIsOneJsonLineWithItsFieldsAndNoPin(String format) throws Exception {
        attach(format);
        String orderId = UUID.randomUUID().toString();
        String order = Payloads.read("orders/order-complete.xml").replace("6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", orderId);
        assertThat(order).contains(orderId);

        assertThat(bandwidth().post("/webhooks/bandwidth", order).statusCode()).isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/wrong-pin.xml")).body())
                .contains("<Code>7513</Code>");

        JsonNode orderLine = await().atMost(Duration.ofSeconds(10))
                .until(() -> webhookLine(orderId), line -> line != null);
        assertThat(field(orderLine, "webhook.type")).isEqualTo("order");
        assertThat(field(orderLine, "webhook.id")).isEqualTo(orderId);
        assertThat(field(orderLine, "webhook.outcome")).isEqualTo("accepted");
        assertThat(field(orderLine, "webhook.latency_ms")).matches("\\d+");

        JsonNode portOutLine = await().atMost(Duration.ofSeconds(10))
                .until(() -> webhookLine("WIN-20250304-0048"), line -> line != null);
        assertThat(field(portOutLine, "webhook.type")).isEqualTo("port-out-validation");
        assertThat(field(portOutLine, "webhook.outcome")).isEqualTo("denied");
        assertThat(lines()).allSatisfy(line -> assertThat(line.toString()).doesNotContain(PIN));
    }

    /**
     * An exception a library logs (here one like ActiveMQ's at a failed commit) is its chain of messages, which
     * says why, without the stack frames: the node logs no stack trace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash", "gelf"})
    void anExceptionIsLoggedAsItsChainOfMessagesWithoutFrames(String format) throws Exception {
        attach(format);
        Exception failed = new IllegalStateException("COMMIT FAILED",
                new java.io.IOException("Persistent store is Full, 100% of 1048576"));
        LoggerFactory.getLogger("org.apache.activemq.TransactionContext").info("commit failed for transaction", failed);

        JsonNode line = await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                .filter(l -> l.toString().contains("commit failed for transaction")).findFirst().orElse(null), l -> l != null);
        assertThat(line.toString())
                .contains("java.lang.IllegalStateException: COMMIT FAILED")
                .contains("Caused by: java.io.IOException: Persistent store is Full")
                .doesNotContain("\\tat ").doesNotContain("StructuredWebhookLogEndToEndTest.java");
    }

    private void attach(String format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        root().addAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Every line written so far, each of which must be a JSON object. */
    private List<JsonNode> lines() throws Exception {
        String text;
        synchronized (written) {
            text = written.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                lines.add(node);
            }
        }
        return lines;
    }

    /** The webhook log line (logger numbers-router.webhooks) whose id field is this one, or null. */
    private JsonNode webhookLine(String id) throws Exception {
        for (JsonNode line : lines()) {
            if (line.toString().contains("numbers-router.webhooks") && id.equals(field(line, "webhook.id"))) {
                return line;
            }
        }
        return null;
    }

    /**
     * A context field by its dotted name, wherever the format puts it: ECS nests it ({@code webhook: {type: …}}),
     * Logstash keeps the dotted name, GELF prefixes it with an underscore.
     */
    private static String field(JsonNode line, String name) {
        JsonNode flat = line.has(name) ? line.get(name) : line.get("_" + name);
        if (flat != null) {
            return flat.asText();
        }
        JsonNode nested = line.at("/" + name.replace('.', '/'));
        return nested.isMissingNode() ? null : nested.asText();
    }
}
