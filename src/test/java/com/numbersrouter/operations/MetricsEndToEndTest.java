package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import com.numbersrouter.support.TestSmtp;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What an operations team scrapes: after a few webhooks of each kind, {@code /actuator/prometheus} on the
 * management port has them by type and outcome, with latency histograms, port-out answers by code, alerts and the
 * JMS send timing; every metric the Grafana dashboard in the repository plots is among them; and each webhook gets
 * one log line with its id, outcome and latency. And every series an alert rule in the repository reads is there
 * from the start.
 */
@IsolatedNode
@AutoConfigureObservability(tracing = false)
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("metrics-broker");
    private static final GreenMail SMTP = TestSmtp.start();
    /** Series only a node on its in-process broker exports. */
    private static final Set<String> IN_PROCESS_BROKER_ONLY = Set.of(
            "numbers_router_embedded_broker_store_used_bytes", "numbers_router_embedded_broker_store_limit_bytes");
    private static final Pattern METRIC = Pattern.compile("\\b((?:numbers_router|camel|jvm|disk)_[a-z_]+)");

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> TestSmtp.port(SMTP));
    }

    @Test
    void webhooksAreCountedTimedAndLoggedByTypeAndOutcome(CapturedOutput output) throws Exception {
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        String order = Payloads.read("orders/order-complete.xml");
        assertThat(bandwidth.post("/webhooks/bandwidth", order).statusCode()).isEqualTo(200);
        assertThat(bandwidth.post("/webhooks/bandwidth", order).statusCode()).isEqualTo(200);
        // an order id from outside that would start a forged log line of its own
        String forging = order.replace("6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "forge&#13;&#10;INFO fake line");
        assertThat(forging).isNotEqualTo(order);
        assertThat(bandwidth.post("/webhooks/bandwidth", forging).statusCode()).isEqualTo(200);
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                .isEqualTo(200);
        bandwidth.post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/valid.xml"));
        bandwidth.post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/wrong-pin.xml"));
        assertThat(bandwidth.post("/webhooks/bandwidth", "<Notification><OrderId>x</Notification>").statusCode())
                .isEqualTo(400);
        HttpResponse<String> anonymous = BandwidthClient.anonymous(port).post("/webhooks/bandwidth", order);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongPassword = BandwidthClient.anonymous(port).post("/webhooks/bandwidth",
                order.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/xml",
                "Authorization", BandwidthClient.basic(BandwidthClient.USERNAME, "rotated-away"));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> scrape().contains("numbers_router_alerts_total{outcome=\"sent\"} 1.0"));
        String metrics = scrape();

        assertThat(metrics)
                .contains("numbers_router_webhooks_total{outcome=\"accepted\",type=\"order\"} 2.0")
                .contains("numbers_router_webhooks_total{outcome=\"duplicate\",type=\"order\"} 1.0")
                .contains("numbers_router_webhooks_total{outcome=\"accepted\",type=\"event\"} 1.0")
                .contains("numbers_router_webhooks_total{outcome=\"approved\",type=\"port-out-validation\"} 1.0")
                .contains("numbers_router_webhooks_total{outcome=\"denied\",type=\"port-out-validation\"} 1.0")
                .contains("numbers_router_webhooks_total{outcome=\"malformed\",type=\"unclassified\"} 1.0")
                // the challenge flow's first request, and the request without credentials
                .containsPattern("numbers_router_webhooks_total\\{outcome=\"unauthenticated\",type=\"unknown\"} [1-9]")
                // and the one with a wrong password, told apart: that subscription's webhooks are being lost
                .contains("numbers_router_webhooks_total{outcome=\"bad-credentials\",type=\"unknown\"} 1.0")
                .doesNotContainPattern("outcome=\"failed\"[^}]*} [1-9]")
                .containsPattern("numbers_router_webhook_latency_seconds_bucket\\{type=\"order\",le=\"[0-9.]+\"}")
                .contains("numbers_router_portout_answers_total{code=\"portable\"} 1.0")
                .contains("numbers_router_portout_answers_total{code=\"7513\"} 1.0")
                // a code not answered yet is there at 0, so that the first one counts in rate() and increase()
                .contains("numbers_router_portout_answers_total{code=\"7599\"} 0.0")
                .containsPattern("camel_route_policy_seconds_bucket\\{[^}]*routeId=\"order-to-broker\"")
                // the order and the event went to the broker in group-commit transactions, and none failed
                .containsPattern("numbers_router_broker_commit_size_messages_sum [1-9]")
                .contains("numbers_router_broker_commit_failures_total 0.0");
        assertThat(output.getOut())
                .containsPattern("order 6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b accepted in \\d+ ms")
                .containsPattern("port-out-validation WIN-20250304-0048 denied in \\d+ ms")
                .containsPattern("order forge\\?\\?INFO\\?fake\\?line accepted in \\d+ ms")
                .doesNotContainPattern("(?m)^INFO fake line")
                // the 401s are counted above, without an INFO line each (the challenge precedes every delivery)
                .doesNotContainPattern("unknown - (unauthenticated|bad-credentials) in \\d+ ms")
                // the wrong password's warning says where it came from, so a stranger can be told from a subscription
                .containsPattern("webhook\\(s\\) with wrong credentials answered 401 since the last warning, 1 of them"
                        + " with a configured username and a wrong password, the latest from 127\\.0\\.0\\.1\\.")
                .doesNotContain("048213");

        JsonNode dashboard = new ObjectMapper()
                .readTree(Path.of("config/monitoring/grafana/dashboards/numbers-router.json").toFile());
        Set<String> plotted = new LinkedHashSet<>();
        dashboard.findValues("expr").forEach(expr -> {
            Matcher m = METRIC.matcher(expr.asText());
            while (m.find()) {
                plotted.add(m.group(1));
            }
        });
        assertThat(plotted).hasSizeGreaterThan(10);
        for (String metric : plotted) {
            assertThat(metrics).as("the dashboard plots " + metric).containsPattern("(?m)^" + metric + "[{ ]");
        }
        // and by labels the node gives them: a panel grouping or selecting by a label its metric lacks shows nothing
        for (JsonNode expr : dashboard.findValues("expr")) {
            assertLabelsExist(expr.asText(), metrics);
        }
    }

    /**
     * Every series an alert rule reads is there before the first webhook, counters at 0: increase() does not count the first
     * increment of a series that appears with it, and the first lost notification must fire the alert.
     */
    @Test
    @Order(1) // before the other test sends webhooks: what it checks is the node as it starts
    void everySeriesTheAlertRulesReadIsThereFromTheStart() throws Exception {
        String atStart = scrape();
        List<String> exprs = new ArrayList<>();
        Map<String, Object> rules;
        try (InputStream in = Files.newInputStream(Path.of("config/monitoring/alerts.yml"))) {
            rules = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                exprs.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
            }
        }
        assertThat(exprs).hasSizeGreaterThan(10);
        Set<String> read = new LinkedHashSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        // this node has a broker of its own (as in production); EmbeddedBrokerDecisionExpiryEndToEndTest has these
        read.removeAll(IN_PROCESS_BROKER_ONLY);
        for (String metric : read) {
            assertThat(atStart).as("an alert rule reads " + metric).containsPattern("(?m)^" + metric + "[{ ]");
            if (metric.endsWith("_total")) {
                assertThat(series(atStart, metric)).as("%s at the start", metric)
                        .allSatisfy((labels, value) -> assertThat(value).as("%s%s", metric, labels).isZero());
            }
        }
        for (String expr : exprs) {
            assertLabelsExist(expr, atStart);
            assertEverySelectedCombinationExists(expr, atStart);
        }
    }

    /**
     * Each combination of the label values a selector names exists as one series: {@code {type="a",outcome=~"b|c"}}
     * needs a series with type a and outcome b, and one with type a and outcome c; that each value exists on some
     * series is not enough.
     */
    private static void assertEverySelectedCombinationExists(String expr, String metrics) {
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            String metric = selector.group(1);
            List<Map<String, String>> combinations = new ArrayList<>(List.of(Map.of()));
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                List<String> values = matcher.group(2).equals("=") ? List.of(matcher.group(3))
                        : matcher.group(2).equals("=~") && matcher.group(3).matches("[\\w.|-]+")
                                ? List.of(matcher.group(3).split("\\|")) : List.of();
                if (values.isEmpty() || TARGET_LABELS.contains(matcher.group(1))) {
                    continue;
                }
                List<Map<String, String>> wider = new ArrayList<>();
                for (Map<String, String> combination : combinations) {
                    for (String value : values) {
                        Map<String, String> next = new HashMap<>(combination);
                        next.put(matcher.group(1), value);
                        wider.add(next);
                    }
                }
                combinations = wider;
            }
            Set<Map<String, String>> present = series(metrics, metric).keySet();
            for (Map<String, String> combination : combinations) {
                assertThat(present).as("%s: a series of %s with %s", expr, metric, combination)
                        .anyMatch(labels -> labels.entrySet().containsAll(combination.entrySet()));
            }
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(?:\\{([^}]*)})? (\\S+)$");

    /** The samples of one metric in a scrape: each series' labels and its value. */
    private static Map<Map<String, String>, Double> series(String metrics, String metric) {
        Map<Map<String, String>, Double> series = new HashMap<>();
        Matcher sample = SAMPLE.matcher(metrics);
        while (sample.find()) {
            if (!sample.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher label = MATCHER.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(3));
            }
            series.put(labels, Double.valueOf(sample.group(3)));
        }
        return series;
    }

    /** Prometheus label matchers in a selector: {@code name="v"}, {@code name=~"re"}, and the negations. */
    private static final Pattern SELECTOR = Pattern.compile("\\b((?:numbers_router|camel|jvm|disk)_[a-z_]+)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    /** Labels Prometheus adds to the series it scrapes (namespace: Kubernetes service discovery), not the node. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace");

    private static void assertLabelsExist(String expr, String metrics) {
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            String metric = selector.group(1);
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                String operator = matcher.group(2);
                if (TARGET_LABELS.contains(label)) {
                    continue; // added by Prometheus when it scrapes (job: the scrape job's name)
                }
                // each name of a plain alternation (a|b) must have its series, not merely one of them
                List<String> values = operator.equals("=~") && matcher.group(3).matches("[\\w.|-]+")
                        ? List.of(matcher.group(3).split("\\|")).stream().map(Pattern::quote).toList()
                        : operator.equals("=~") ? List.of(matcher.group(3))
                        : operator.equals("=") ? List.of(Pattern.quote(matcher.group(3))) : List.of("[^\"]*");
                for (String value : values) {
                    assertThat(metrics).as("%s: a series of %s with %s %s %s", expr, metric, label, operator, value)
                            .containsPattern("(?m)^" + metric + "\\{([^}]*,)?" + label + "=\"(" + value + ")\"");
                }
            }
        }
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            for (String label : by.group(1).split(",")) {
                String name = label.strip();
                if (TARGET_LABELS.contains(name)) {
                    continue;
                }
                Set<String> named = new LinkedHashSet<>();
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    named.add(m.group(1));
                }
                assertThat(named).as("%s: grouped by %s, which one of its metrics has", expr, name)
                        .anyMatch(metric -> Pattern.compile("(?m)^" + metric + "\\{([^}]*,)?" + name + "=\"")
                                .matcher(metrics).find());
            }
        }
    }

    private String scrape() {
        // as Prometheus scrapes: without a login
        return Management.anonymous(managementPort).get("/actuator/prometheus");
    }
}
