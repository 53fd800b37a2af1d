package com.numbersrouter.routes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.numbersrouter.infra.DataFolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline check operators run in their own CI: same checks and messages as a live reload, exit status 1. */
class RouteCheckCommandTest {

    @TempDir
    Path temp;

    @Test
    void theShippedRoutesAndDemoDirectoryPass() {
        Result result = check();

        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("OK: 9 route file(s) in routes");
    }

    /**
     * Run beside a node, in its folder (as an operator would before copying files to it): the check uses folders of
     * its own, so the node's spool keeps its unfinished writes and the folders the node holds do not refuse it.
     */
    @Test
    void aCheckBesideARunningNodeLeavesItsDataAlone() throws IOException {
        Path spool = Path.of("data/spool");
        try (DataFolderLock nodesSpool = DataFolderLock.take(spool, "spool");
                DataFolderLock nodesJournal = DataFolderLock.take(Path.of("data/portout-decisions"), "journal")) {
            Path unfinished = spool.resolve("check-test-" + java.util.UUID.randomUUID() + ".tmp");
            Files.writeString(unfinished, "an order being written");
            try {
                Result result = check();

                assertThat(result.output()).contains("OK: ");
                assertThat(result.status()).isZero();
                assertThat(unfinished).as("the node's write in progress").exists();
            } finally {
                Files.deleteIfExists(unfinished);
            }
        }
    }

    /**
     * The check serves no webhook, so the webhook password is not its business: neither missing in a production
     * node's environment (where the node itself would stop without it), nor exported alone in the shell, as the
     * README's curl examples do (which the node would refuse as a half-set pair).
     */
    @Test
    void theShippedRoutesPassWhateverTheWebhookPasswordIs() {
        for (Map<String, String> environment : List.of(
                Map.of("numbers-router.zero-config", "false"),
                Map.of("numbers-router.webhook.credentials.primary.password", "exported-for-curl"))) {
            environment.forEach(System::setProperty);
            try {
                Result result = check();

                assertThat(result.status()).as(environment + ": " + result.output()).isZero();
                assertThat(result.output()).contains("OK: 9 route file(s) in routes");
            } finally {
                environment.keySet().forEach(System::clearProperty);
            }
        }
    }

    /**
     * How Kubernetes mounts a ConfigMap (or Secret) as the routes folder: the real files in a hidden folder named for the
     * update, a {@code ..data} link to it, and a link per file. Each file read twice, through its link and in the hidden
     * folder, made every route id a duplicate: the node would not start from a ConfigMap.
     */
    @Test
    void theShippedRoutesMountedAsAKubernetesConfigMapPass() throws IOException {
        Path routes = temp.resolve("configmap");
        Path update = routes.resolve("..2026_11_28_14_00_00.123456789");
        Files.createDirectories(update);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, update.resolve(file.getFileName()));
            }
        }
        Files.createSymbolicLink(routes.resolve("..data"), update.getFileName());
        try (Stream<Path> files = Files.list(update)) {
            for (Path file : files.toList()) {
                Files.createSymbolicLink(routes.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
            }
        }

        Result result = check("--routes=" + routes);

        assertThat(result.output()).contains("OK: 9 route file(s) in " + routes);
        assertThat(result.status()).isZero();
        assertThat(RouteFiles.read(routes).keySet()).allSatisfy(path -> assertThat(path.getParent()).isEqualTo(routes));
    }

    /** The folder may itself be a link to where the files are kept (as /etc/numbers-router/routes). */
    @Test
    void aRoutesFolderThatIsALinkIsRead() throws IOException {
        Path routes = copyOfRoutes();
        Path link = temp.resolve("routes-link");
        Files.createSymbolicLink(link, routes);

        assertThat(RouteFiles.read(link)).hasSize(9);
    }

    @Test
    void aRulesFileWithATypoFails() throws IOException {
        Path rules = temp.resolve("portout-rules.yaml");
        Files.writeString(rules, "require-pinn: false\n");

        Result result = check("--rules=" + rules);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("INVALID: " + rules + ": unknown rule 'require-pinn'");
    }

    @Test
    void aBrokenRouteFolderFailsWithFileLineAndReason() throws IOException {
        Path routes = copyOfRoutes();
        Path orders = routes.resolve("orders.camel.yaml");
        Files.writeString(orders, Files.readString(orders).replace("jms-group-commit:queue:{{numbers-router.orders.queue}}", "jmsx:queue:x"));
        Files.writeString(routes.resolve("extra.camel.yaml"), "- route:\n    from:\n      uri: direct:no-id\n      steps: [ { log: x } ]\n");

        Result result = check("--routes=" + routes);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("INVALID: " + routes.resolve("extra.camel.yaml") + ":1: route has no id");
    }

    @Test
    void anUnknownComponentIsReportedWithItsRoute() throws IOException {
        Path routes = copyOfRoutes();
        Path orders = routes.resolve("orders.camel.yaml");
        Files.writeString(orders, Files.readString(orders).replace("jms-group-commit:queue:{{numbers-router.orders.queue}}", "jmsx:queue:x"));

        Result result = check("--routes=" + routes);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).containsPattern("orders\\.camel\\.yaml:\\d+: route order-to-broker: No endpoint could be found for: jmsx");
    }

    /**
     * The spool forwarder sends to this endpoint from Java, so no route showed as its caller: renamed, the spool would
     * never drain again, and every later notification would wait behind it.
     */
    @Test
    void anEndpointTheNodeItselfSendsToMustStillBeConsumed() throws IOException {
        Path routes = copyOfRoutes();
        Path spool = routes.resolve("spool.camel.yaml");
        Files.writeString(spool, Files.readString(spool).replace("uri: direct:spooled-notification\n",
                "uri: direct:spooled-notification-v2\n"));

        Result result = check("--routes=" + routes);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("no route consumes from direct:spooled-notification, which the spool forwarder");
    }

    /** Tomcat would answer 404 there, and Bandwidth takes a 404 to a port-out as its approval. */
    @Test
    void aRouteSetThatNoLongerServesAPortOutUrlIsRefused() throws IOException {
        Path routes = copyOfRoutes();
        Path ingress = routes.resolve("ingress.camel.yaml");
        String shipped = Files.readString(ingress);
        // the port-out alias taken out, as the README's how-to does with the orders and events aliases
        int alias = shipped.indexOf("- route:\n    id: webhook-http-portout-alias");
        int next = shipped.indexOf("- route:", alias + 1);
        assertThat(alias).isPositive();
        Files.writeString(ingress, shipped.substring(0, alias) + shipped.substring(next));

        Result removed = check("--routes=" + routes);

        assertThat(removed.status()).isEqualTo(1);
        assertThat(removed.output()).contains("no started route serves POST /webhooks/bandwidth/portout-validation and"
                + " hands it to direct:webhook-intake: a 404 there, or an answer that is not the node's, is taken by"
                + " Bandwidth as approval of a port-out sent there");

        // the one URL for every subscription switched off (a placeholder resolving to false): a port-out
        // subscription may point there
        Files.writeString(ingress, shipped.replace("    id: webhook-http\n",
                "    id: webhook-http\n    autoStartup: \"{{numbers-router.test.serve-all:false}}\"\n"));

        Result stopped = check("--routes=" + routes);

        assertThat(stopped.status()).isEqualTo(1);
        assertThat(stopped.output()).contains("no started route serves POST /webhooks/bandwidth and hands it")
                .doesNotContain("/webhooks/bandwidth/portout-validation and hands it");

        // served, but answered by something else than the node's intake (its answer would not be the node's)
        Files.writeString(ingress, shipped.replaceFirst("(?s)(id: webhook-http-portout-alias.*?)- to: direct:webhook-intake",
                "$1- setBody:\n            constant: ok"));

        Result elsewhere = check("--routes=" + routes);

        assertThat(elsewhere.status()).isEqualTo(1);
        assertThat(elsewhere.output()).contains(
                "no started route serves POST /webhooks/bandwidth/portout-validation and hands it")
                .as("the only problem: the file itself is valid").doesNotContain("ingress.camel.yaml:");
    }

    /** Its webhooks would be answered with no log line and no metric: the webhook routes are found by this prefix. */
    @Test
    void aWebhookRouteWhoseIdDoesNotMarkItAsOneIsRefused() throws IOException {
        Path routes = copyOfRoutes();
        Files.writeString(routes.resolve("extra.camel.yaml"), """
                - route:
                    id: crm-callbacks
                    from:
                      uri: "platform-http:/webhooks/bandwidth/crm"
                      steps:
                        - to: direct:webhook-intake
                """);

        Result result = check("--routes=" + routes);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains(routes.resolve("extra.camel.yaml") + ":1: route crm-callbacks receives webhooks"
                + " (it sends to direct:webhook-intake): its id must start with 'webhook-http'");
    }

    @Test
    void aSubscriberFileWithAClearTextPinFailsWithoutEchoingIt() throws IOException {
        Path subscribers = temp.resolve("subscribers.csv");
        Files.writeString(subscribers, "telephone_number,account_number,pin_hash,zip_code,subscriber_name,active\n"
                + "9195550100,ACCT-1,482913,27606,Someone,true\n");

        Result result = check("--subscribers=" + subscribers);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("INVALID: ").contains("line 2").doesNotContain("482913");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(check("--route=routes").status()).isEqualTo(2);
    }

    private Path copyOfRoutes() throws IOException {
        Path routes = temp.resolve("routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }

    private static Result check(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = RouteCheckCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String output) {
    }
}
