package com.numbersrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.EnvironmentVariables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container files cannot be run here (no Docker engine), so this parses them and checks that they say what the
 * node needs: the compose wiring between the three services, the image's runtime stage and its class data sharing
 * training run, and that every environment variable handed to the node reaches a real property. Paths are relative
 * to the working directory, the repo root under Maven.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");

    private static final String NODE = "numbers-router";
    private static final String BROKER = "activemq";
    private static final String SMTP = "mailpit";

    private static final List<String> LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    /**
     * Variables the image sets for properties not written yet. Each must still be unbound: once its property exists
     * this test fails, and the name is removed here so the normal check covers it.
     */
    private static final Set<String> PROPERTIES_NOT_YET_WRITTEN = Set.of();

    private static Map<String, Object> services;
    private static List<Instruction> dockerfile;

    @BeforeAll
    static void parseFiles() throws IOException {
        assertThat(COMPOSE_FILE).as("run from the repo root").isRegularFile();
        assertThat(DOCKERFILE).as("run from the repo root").isRegularFile();
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(COMPOSE_FILE)) {
            compose = new Yaml(new SafeConstructor(strictYaml())).load(in);
        }
        assertThat(compose).as("Compose Specification: no top-level version key").doesNotContainKey("version");
        services = map(compose.get("services"), "services");
        dockerfile = Instruction.parse(Files.readAllLines(DOCKERFILE));
    }

    // ---------------------------------------------------------------- docker-compose.yml

    @Test
    void composeDefinesTheNodeTheBrokerAndTheSmtpServer() {
        assertThat(services).containsOnlyKeys(NODE, BROKER, SMTP, "prometheus", "grafana");
        assertThat(service(BROKER).get("image")).asString().startsWith("apache/activemq-classic:");
        assertThat(service(SMTP).get("image")).asString().startsWith("axllent/mailpit:");
    }

    /** An operator sets the compose file's own variables, not the node's property names: the README lists each. */
    @Test
    void everyVariableTheComposeFileReadsIsInTheReadme() throws IOException {
        Set<String> read = new LinkedHashSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(Files.readString(COMPOSE_FILE));
        while (variable.find()) {
            read.add(variable.group(1));
        }
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Running with Docker");
        String docker = readme.substring(start, readme.indexOf("\n## ", start + 1));

        assertThat(read).isNotEmpty();
        assertThat(read).as("variables of docker-compose.yml the README's \"Running with Docker\" does not name")
                .allSatisfy(name -> assertThat(docker).contains("`" + name + "`"));
    }

    /** Docker's default json-file log has no bound: a flood's log lines would fill the disk the node's data is on. */
    @Test
    void theNodesContainerLogIsRotated() {
        Map<?, ?> logging = map(service(NODE).get("logging"), "logging");
        assertThat(logging.get("driver")).isIn("json-file", "local");
        Map<?, ?> options = map(logging.get("options"), "logging.options");
        assertThat(String.valueOf(options.get("max-size"))).matches("\\d+[km]");
        assertThat(Integer.parseInt(String.valueOf(options.get("max-file")))).isBetween(2, 20);
    }

    @Test
    void theNodeIsGivenTimeForItsGracefulShutdownAndComesBackAfterAnExit() throws IOException {
        Map<String, Object> applicationYaml;
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.yaml"))) {
            applicationYaml = new Yaml(new SafeConstructor(strictYaml())).load(in);
        }
        Duration shutdownPhase = DurationStyle.detectAndParse(String.valueOf(
                map(map(applicationYaml.get("spring"), "spring").get("lifecycle"), "spring.lifecycle")
                        .get("timeout-per-shutdown-phase")));
        Duration grace = DurationStyle.detectAndParse(String.valueOf(service(NODE).get("stop_grace_period")));

        // webhooks in progress get a whole phase, and the spool, the decisions feed and Camel stop after them
        assertThat(grace).isGreaterThanOrEqualTo(shutdownPhase.multipliedBy(2));
        assertThat(service(NODE).get("restart")).isIn("unless-stopped", "always", "on-failure");
    }

    @Test
    void nodeIsBuiltFromThisRepoAndServesWebhooksOn8080() {
        Object build = service(NODE).get("build");
        Object context = build instanceof Map<?, ?> b ? b.get("context") : build;
        assertThat(context).isEqualTo(".");
        assertThat(publishedPorts(NODE)).containsKey(8080);
    }

    @Test
    void nodeMountsTheHostsRoutesAndConfigWhereTheImageLooksForThem() {
        Map<String, String> mounts = volumeSources(NODE);
        assertThat(mounts).containsEntry("/app/routes", "./routes").containsEntry("/app/config", "./config");

        // The mounts only matter if they are the folders the image points the node at.
        Map<String, String> imageEnv = dockerfileEnv();
        assertThat(imageEnv).containsEntry("NUMBERS_ROUTER_ROUTES_DIRECTORY", "/app/routes");
        assertThat(Path.of(imageEnv.get("NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE")).getParent())
                .isEqualTo(Path.of("/app/config"));
    }

    @Test
    void nodeSendsOrdersToTheBrokerServiceAndMailToMailpit() {
        Map<String, String> env = environment(NODE);

        Matcher broker = Pattern.compile("tcp://([^:/?,()]+):(\\d+)").matcher(env.getOrDefault("SPRING_ACTIVEMQ_BROKER_URL", ""));
        assertThat(broker.find()).as("SPRING_ACTIVEMQ_BROKER_URL is a tcp:// URL").isTrue();
        assertThat(broker.group(1)).isEqualTo(BROKER);
        assertThat(Integer.parseInt(broker.group(2))).isEqualTo(61616);
        assertThat(env).containsKeys("SPRING_ACTIVEMQ_USER", "SPRING_ACTIVEMQ_PASSWORD");

        assertThat(env).containsEntry("SPRING_MAIL_HOST", SMTP).containsEntry("SPRING_MAIL_PORT", "1025");
        // and never the in-process ones instead, should either setting go missing
        assertThat(env).containsEntry("NUMBERS_ROUTER_ZERO_CONFIG", "false");
    }

    @Test
    void brokerCredentialsAreTheOnesTheNodePresents() {
        Map<String, String> node = environment(NODE);
        Map<String, String> broker = environment(BROKER);
        assertThat(broker.get("ACTIVEMQ_CONNECTION_USER")).isEqualTo(node.get("SPRING_ACTIVEMQ_USER"));
        assertThat(broker.get("ACTIVEMQ_CONNECTION_PASSWORD")).isEqualTo(node.get("SPRING_ACTIVEMQ_PASSWORD"));
    }

    @Test
    void webhookAndManagementPasswordsMustBeSuppliedNotDefaulted() {
        // ${VAR:?msg} stops `docker compose up` when unset; a default would publish an endpoint with a known password.
        assertThat(environment(NODE).get("WEBHOOK_PASSWORD")).matches("\\$\\{WEBHOOK_PASSWORD:?\\?[^}]*}");
        // With zero-config off the node makes up no password (it would be logged): left empty, it would not start.
        assertThat(environment(NODE)).containsEntry("NUMBERS_ROUTER_ZERO_CONFIG", "false");
        assertThat(environment(NODE).get("MANAGEMENT_PASSWORD")).matches("\\$\\{MANAGEMENT_PASSWORD:?\\?[^}]*}");
    }

    @Test
    void nodeStartsOnlyOnceBrokerAndSmtpAreHealthy() {
        Map<String, Object> dependsOn = map(service(NODE).get("depends_on"), "numbers-router.depends_on");
        for (String dependency : List.of(BROKER, SMTP)) {
            assertThat(map(dependsOn.get(dependency), "depends_on." + dependency))
                    .containsEntry("condition", "service_healthy");
        }
    }

    @Test
    void brokerPublishesOpenWireAndTheWebConsole() {
        assertThat(publishedPorts(BROKER)).containsKeys(61616, 8161);
    }

    @Test
    void mailpitPublishesSmtpAndTheWebUi() {
        assertThat(publishedPorts(SMTP)).containsKeys(1025, 8025);
    }

    /** The broker's OpenWire port and console, the alerts' mailbox: reachable from the host alone, not the network. */
    @Test
    void onlyTheWebhookPortIsPublishedBeyondTheHostsLoopback() {
        for (String name : services.keySet()) {
            for (Object port : list(service(name).getOrDefault("ports", List.of()), name + ".ports")) {
                if (!(name.equals(NODE) && String.valueOf(port).equals("8080:8080"))) {
                    assertThat(String.valueOf(port)).as(name + " publishes " + port).startsWith("127.0.0.1:");
                }
            }
        }
    }

    @Test
    void everyServiceHasAHealthcheck() {
        for (String name : services.keySet()) {
            Map<String, Object> healthcheck = map(service(name).get("healthcheck"), name + ".healthcheck");
            assertThat(healthcheck.get("disable")).as(name).isNotEqualTo(true);
            assertThat(healthcheck.get("test")).as(name + " healthcheck test").isInstanceOf(List.class);
            List<?> test = (List<?>) healthcheck.get("test");
            assertThat(test).as(name).hasSizeGreaterThan(1);
            assertThat(test.get(0)).as(name).isIn("CMD", "CMD-SHELL");
        }
    }

    @Test
    void nodeHealthcheckInComposeIsTheImagesHealthcheck() {
        List<?> composeTest = (List<?>) map(service(NODE).get("healthcheck"), "healthcheck").get("test");
        List<String> imageTest = jsonArray(healthcheckCommand());
        assertThat(composeTest).first().isEqualTo("CMD"); // Compose's prefix for an exec-form command
        assertThat(normalize(composeTest.subList(1, composeTest.size()))).isEqualTo(normalize(imageTest));
    }

    @Test
    void everyVariableHandedToTheNodeReachesAProperty() throws IOException {
        PropertyCatalogue catalogue = PropertyCatalogue.load();
        Map<String, String> variables = new LinkedHashMap<>(environment(NODE));
        dockerfileEnv().forEach(variables::putIfAbsent);
        variables.remove("JAVA_TOOL_OPTIONS"); // read by the JVM, not by Spring
        variables.remove("MALLOC_ARENA_MAX"); // read by the C library

        List<String> unbound = new ArrayList<>();
        for (String name : variables.keySet()) {
            boolean bound = catalogue.binds(name);
            if (PROPERTIES_NOT_YET_WRITTEN.contains(name)) {
                assertThat(bound).as(name + " now binds to a property: remove it from PROPERTIES_NOT_YET_WRITTEN").isFalse();
            } else if (!bound) {
                unbound.add(name);
            }
        }
        assertThat(unbound).as("variables that reach no documented property, application.yaml key or ${...} placeholder")
                .isEmpty();
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void buildStagePackagesTheJarAndExtractsItsLayersAsPlainJars() {
        List<Instruction> build = stages().get(0);
        String runs = build.stream().filter(i -> i.is("RUN")).map(Instruction::args).collect(Collectors.joining("\n"));
        assertThat(runs).contains("package").contains("-Djarmode=tools").containsPattern("extract\\b.*--layers");
        // With --launcher the classes would run from folders, which a class data sharing archive cannot hold.
        assertThat(runs).doesNotContain("--launcher");
    }

    @Test
    void runtimeStageIsTheTemurin17Jre() {
        List<Instruction> runtime = image();
        String image = runtime.get(0).args().split("\\s+")[0];
        assertThat(image).matches("eclipse-temurin:17[.\\d]*-jre.*");
    }

    @Test
    void runtimeCopiesTheFourLayersInOrderIntoTheWorkdir() {
        List<Instruction> runtime = image();
        assertThat(runtime).anySatisfy(i -> assertThat(i.keyword() + " " + i.args()).isEqualTo("WORKDIR /app"));
        List<String> copied = new ArrayList<>();
        for (Instruction copy : runtime) {
            if (copy.is("COPY") && copy.args().startsWith("--from=")) {
                for (String layer : LAYERS) {
                    if (copy.args().matches("--from=\\S+\\s+\\S*/" + Pattern.quote(layer) + "/?\\s+\\./?")) {
                        copied.add(layer);
                    }
                }
            }
        }
        assertThat(copied).containsExactlyElementsOf(LAYERS);
    }

    @Test
    void runtimeRunsAsANonRootUserThatOwnsTheDataDirectory() {
        List<Instruction> runtime = image();
        int entrypoint = indexOf(runtime, "ENTRYPOINT");
        String user = null;
        for (Instruction instruction : runtime.subList(0, entrypoint)) {
            if (instruction.is("USER")) {
                user = instruction.args().split(":")[0];
            }
        }
        assertThat(user).as("USER before ENTRYPOINT").isNotNull().isNotIn("root", "0");

        String setup = runtime.stream().filter(i -> i.is("RUN")).map(Instruction::args).collect(Collectors.joining("\n"));
        String createsUser = user.matches("\\d+")
                ? "(useradd|adduser)\\b.*(--uid|-u)[\\s=]+" + user + "\\b"
                : "(useradd|adduser)\\b.*\\s" + Pattern.quote(user) + "\\b";
        assertThat(setup).as("the USER is created in this stage").containsPattern(createsUser);
        assertThat(setup).containsPattern("chown\\s+\\S+\\s+/app/data");
        // The code (and the class data sharing archive) stays root-owned, read-only to the node: only /app/data is its.
        assertThat(setup).doesNotContainPattern("chown\\b[^\\n]*\\s/app/?(\\s|$)");
        assertThat(runtime).noneSatisfy(i -> assertThat(i.is("COPY") && i.args().contains("--chown")).isTrue());
    }

    @Test
    void runtimeExposesTheWebhookPort() {
        Set<String> exposed = image().stream().filter(i -> i.is("EXPOSE"))
                .flatMap(i -> Stream.of(i.args().split("\\s+")))
                .map(port -> port.replaceFirst("/(tcp|udp)$", ""))
                .collect(Collectors.toSet());
        assertThat(exposed).contains("8080");
    }

    @Test
    void runtimeHasAHealthcheckOnActuator() {
        String command = healthcheckCommand();
        assertThat(jsonArray(command)).last().asString().contains("/actuator/health/readiness").contains("8081");
    }

    @Test
    void entrypointRunsTheExtractedJarWithTheClassDataSharingArchive() {
        List<String> command = entrypoint();
        assertThat(command).first().isEqualTo("java");
        // numbers-router.jar from the application layer, lib/ beside it from the dependencies layer
        assertThat(command).endsWith("-jar", "numbers-router.jar");
        assertThat(command).contains("-XX:SharedArchiveFile=" + archive());
        assertThat(command).noneMatch(part -> part.startsWith("-Xshare:off"));
    }

    @Test
    void theArchiveIsTrainedOnTheImagesJarsWithItsJvmOptionsAsItsUser() {
        List<List<Instruction>> stages = stages();
        int training = trainingStageIndex();
        int last = stages.size() - 1;
        List<Instruction> trainingStage = resolved(training);
        int run = trainingStage.indexOf(trainingRun());
        List<Instruction> beforeTraining = trainingStage.subList(0, run);

        // The JVM uses an archive only with the jars (paths, sizes, times) it was made from: the training runs on the
        // image's own stage, and the image takes the archive from there.
        if (training != last) {
            assertThat(fromOf(stages.get(training))).as("the training stage is FROM the image's stage")
                    .isEqualTo(fromOf(stages.get(last)));
            String copy = "COPY --from=" + Pattern.quote(String.valueOf(stageName(stages.get(training))))
                    + "\\s+/app/" + Pattern.quote(archive()) + "\\s+(\\./?|/app/?)";
            assertThat(image()).as("the image copies the archive from the training stage into /app")
                    .anySatisfy(i -> assertThat(i.keyword() + " " + i.args()).matches(copy));
        }
        assertThat(lastArgs(beforeTraining, "WORKDIR")).isEqualTo("/app").isEqualTo(lastArgs(image(), "WORKDIR"));

        // As the node's own, non-root user.
        String user = lastArgs(beforeTraining, "USER");
        assertThat(user).as("USER of the training run").isNotNull().isEqualTo(lastArgs(image(), "USER"));
        assertThat(user.split(":")[0]).isNotIn("root", "0");

        // With the image's JAVA_TOOL_OPTIONS already set: an archive made with other options is refused (silently).
        assertThat(envOf(beforeTraining).get("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS set before the training run")
                .isNotNull().isEqualTo(dockerfileEnv().get("JAVA_TOOL_OPTIONS"));

        // The same class path as the ENTRYPOINT, written the same way (the archive records it as given).
        Matcher java = Pattern.compile("\\bjava\\s+((?:\\S+\\s+)*?)-jar\\s+(\\S+)").matcher(trainingRun().args());
        assertThat(java.find()).as("the training run starts the node with java ... -jar").isTrue();
        assertThat(java.group(2)).isEqualTo(entrypoint().get(entrypoint().size() - 1));
        // and no JVM option of its own beyond writing the archive and sizing the heap as in the container
        // (system properties are the node's settings, not the JVM's)
        List<String> jvmOptions = Stream.of(java.group(1).trim().split("\\s+")).filter(o -> o.startsWith("-X")).toList();
        assertThat(jvmOptions).allMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=") || o.startsWith("-XX:MaxRAM="));

        // The build fails rather than ship an archive the JVM would not use.
        assertThat(trainingRun().args().split("&&")).as("a check of the archive with -Xshare:on")
                .anyMatch(command -> command.contains("-Xshare:on")
                        && command.contains("-XX:SharedArchiveFile=" + archive()));
    }

    /**
     * config/ is where operators keep the subscriber directory (PIN hashes, account numbers, names) and settings with
     * passwords; the Kubernetes example even creates its Secret from config/subscribers.csv. An image built from that
     * tree and pushed to a registry must hold none of it: nothing is copied from config/, and the folder is not even
     * sent to the build.
     */
    @Test
    void theImageHoldsNothingFromTheOperatorsConfigFolder() throws IOException {
        for (Instruction instruction : dockerfile) {
            if (instruction.is("COPY") || instruction.is("ADD")) {
                assertThat(instruction.args()).as(instruction.keyword() + " " + instruction.args())
                        .doesNotContainPattern("(^|\\s|\\./)config(/|\\s|$)");
            }
        }
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).as(".dockerignore").contains("config");
        // what the image points the node at comes from a mount, and the training run brings its own
        assertThat(trainingRun().args()).containsPattern(
                "(?:^|\\s)NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE=\"?\\$training/");
    }

    @Test
    void theTrainingRunNeedsNothingOutsideTheBuildAndLeavesDataAlone() throws IOException {
        String run = trainingRun().args();
        // The zero-config node: in-process broker and SMTP server, and no OpenWire port.
        assertThat(run).doesNotContain("SPRING_ACTIVEMQ_BROKER_URL").doesNotContain("SPRING_MAIL_HOST");
        assertThat(run).containsPattern("(^|\\s)NUMBERS_ROUTER_EMBEDDED_BROKER_CONNECTOR=(\\s|$)");
        // Every folder the node writes (application.yaml's data/... defaults) is pointed out of /app/data.
        Map<String, String> dataFolders = applicationDefaults("data/");
        assertThat(dataFolders).isNotEmpty();
        for (String property : dataFolders.keySet()) {
            String variable = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            Matcher set = Pattern.compile("(?:^|\\s)" + variable + "=(\\S+)").matcher(run);
            assertThat(set.find()).as(property + " (" + variable + ") set for the training run").isTrue();
            assertThat(set.group(1).replace("\"", "")).as(variable).doesNotStartWith("data").doesNotStartWith("/app");
        }
        // And it ends by itself.
        assertThat(run).containsPattern("-Dcamel\\.main\\.duration-max-seconds=\\d+|-Dspring\\.context\\.exit=onRefresh");
    }

    @Test
    void theMonitoringProfileScrapesTheNodeAndProvisionsTheDashboard() throws IOException {
        assertThat(service("prometheus").get("profiles")).isEqualTo(List.of("monitoring"));
        assertThat(service("grafana").get("profiles")).isEqualTo(List.of("monitoring"));
        for (String mount : volumeSources("prometheus").values()) {
            assertThat(Path.of(mount)).as(mount).exists();
        }
        for (String mount : volumeSources("grafana").values()) {
            assertThat(Path.of(mount)).as(mount).exists();
        }
        String prometheus = Files.readString(Path.of("config/monitoring/prometheus.yml"));
        assertThat(prometheus).contains("/actuator/prometheus").contains(NODE + ":8081");
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("config/monitoring/grafana/dashboards/numbers-router.json").toFile());
        assertThat(dashboard.get("uid").asText()).isEqualTo("numbers-router");
        assertThat(dashboard.get("panels")).isNotEmpty();
        assertThat(Files.readString(Path.of("config/monitoring/grafana/provisioning/datasources/prometheus.yaml")))
                .contains("uid: prometheus").contains("http://prometheus:9090");
    }

    /**
     * On a Prometheus shared with other services every JVM exports {@code jvm_*}, and a second node exports the same
     * {@code numbers_router_*}: each panel reads only the job and nodes picked at the top, and the dashboard takes
     * the Prometheus picked there rather than one with the uid of compose's.
     */
    @Test
    void theDashboardReadsOnlyThePickedJobAndNodesFromThePickedPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Path.of("config/monitoring/grafana/dashboards/numbers-router.json").toFile());
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("datasource", "job", "instance");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        Map<String, Object> prometheus;
        try (InputStream in = Files.newInputStream(Path.of("config/monitoring/prometheus.yml"))) {
            prometheus = new Yaml(new SafeConstructor(strictYaml())).load(in);
        }
        String job = String.valueOf(((Map<?, ?>) list(prometheus.get("scrape_configs"), "scrape_configs").get(0))
                .get("job_name"));
        assertThat(variables.get("job").path("current").path("value").asText()).as("the job compose scrapes")
                .isEqualTo(job);
        assertThat(variables.get("instance").path("includeAll").asBoolean()).isTrue();

        List<String> datasources = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> datasources.add(panel.path("datasource").path("uid").asText()));
        datasources.add(variables.get("job").path("datasource").path("uid").asText());
        datasources.add(variables.get("instance").path("datasource").path("uid").asText());
        assertThat(datasources).isNotEmpty().containsOnly("${datasource}");

        Pattern selector = Pattern.compile("\\b((?:numbers_router|camel|jvm)_[a-z_]+)(\\{[^}]*})?");
        int selectors = 0;
        for (JsonNode expr : dashboard.findValues("expr")) {
            if (expr.asText().startsWith("ALERTS")) {
                continue; // the firing alerts' own series: their labels are the rules', see alerts.yml
            }
            Matcher m = selector.matcher(expr.asText());
            while (m.find()) {
                selectors++;
                assertThat(m.group(2)).as("%s in %s", m.group(1), expr.asText()).isNotNull()
                        .contains("job=\"$job\"").contains("instance=~\"$instance\"");
            }
        }
        assertThat(selectors).isGreaterThan(20);
    }

    /**
     * Prometheus loads the alert rules from where compose mounts them (a rule file it cannot find stops it from
     * starting), and the rules name the scrape job that exists. Each rule says how bad it is and what it means.
     * (The rules' series are checked against a running node by MetricsEndToEndTest; their PromQL and when each fires
     * by promtool, see the README's "Alerts".)
     */
    @Test
    void theMonitoringProfileLoadsTheAlertRules() throws IOException {
        Map<String, Object> prometheus;
        try (InputStream in = Files.newInputStream(Path.of("config/monitoring/prometheus.yml"))) {
            prometheus = new Yaml(new SafeConstructor(strictYaml())).load(in);
        }
        List<?> ruleFiles = list(prometheus.get("rule_files"), "rule_files");
        assertThat(ruleFiles).isNotEmpty();
        Map<String, String> mounts = volumeSources("prometheus");
        for (Object ruleFile : ruleFiles) {
            assertThat(mounts).as("compose mounts " + ruleFile).containsKey(String.valueOf(ruleFile));
        }
        assertThat(mounts.get(String.valueOf(ruleFiles.get(0)))).isEqualTo("./config/monitoring/alerts.yml");
        String job = String.valueOf(((Map<?, ?>) list(prometheus.get("scrape_configs"), "scrape_configs").get(0))
                .get("job_name"));

        Map<String, Object> alerts;
        try (InputStream in = Files.newInputStream(Path.of("config/monitoring/alerts.yml"))) {
            alerts = new Yaml(new SafeConstructor(strictYaml())).load(in);
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object group : list(alerts.get("groups"), "groups")) {
            for (Object item : list(((Map<?, ?>) group).get("rules"), "rules")) {
                Map<?, ?> rule = (Map<?, ?>) item;
                String name = String.valueOf(rule.get("alert"));
                assertThat(names.add(name)).as("one rule per name: " + name).isTrue();
                assertThat(name).matches("NumbersRouter[A-Z][A-Za-z]+");
                assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).as(name).isIn("critical", "warning");
                Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
                assertThat(annotations.get("summary")).as(name + " summary").asString().isNotBlank();
                assertThat(annotations.get("description")).as(name + " description").asString().isNotBlank();
                Matcher jobs = Pattern.compile("job=\"([^\"]*)\"").matcher(String.valueOf(rule.get("expr")));
                while (jobs.find()) {
                    assertThat(jobs.group(1)).as(name + " reads the scrape job").isEqualTo(job);
                }
            }
        }
        assertThat(names).contains("NumbersRouterDown", "NumbersRouterNotificationsShed", "NumbersRouterWrongCredentials");

        // promtool's cases (config/monitoring/test-alerts.sh) cover every rule, and only rules that exist
        Set<String> tested = new LinkedHashSet<>();
        Matcher alertname = Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(Path.of("config/monitoring/alerts-test.yml")));
        while (alertname.find()) {
            tested.add(alertname.group(1));
        }
        assertThat(tested).as("rules with a case in alerts-test.yml").containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void theNodesContainerHasAMemoryLimitAndTheHeapLeavesRoomBesideIt() throws IOException {
        assertThat(service(NODE).get("mem_limit")).isEqualTo("768m");
        String options = image().stream().filter(i -> i.keyword().equals("ENV"))
                .map(Instruction::args).filter(a -> a.contains("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
        int heapMiB = Integer.parseInt(options.replaceAll("(?s).*-Xmx(\\d+)m.*", "$1"));
        // ~520 MiB resident under a flood with a 224 MiB heap (README "Capacity"): the limit must leave room beside it
        assertThat(heapMiB).isLessThanOrEqualTo(224);
        // the start fills about 80 MiB: starting near that spares the full collections of growing from a few MiB;
        // an initial heap above the maximum would stop the JVM from starting at all
        int initialHeapMiB = Integer.parseInt(options.replaceAll("(?s).*-Xms(\\d+)m.*", "$1"));
        assertThat(initialHeapMiB).isBetween(32, heapMiB);
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:MaxMetaspaceSize=")
                .contains("-XX:ReservedCodeCacheSize=").contains("-XX:MaxDirectMemorySize=");
        assertThat(dockerfileEnv()).containsEntry("MALLOC_ARENA_MAX", "2");
        // the flood benchmark runs the node with exactly these options
        assertThat(Files.readString(Path.of("bench/node.sh"))).contains("JAVA_TOOL_OPTIONS").contains("Dockerfile")
                .contains("MALLOC_ARENA_MAX");
    }

    @Test
    void theStartupBenchmarkRepeatsTheImagesStepsFromTheDockerfile() throws IOException {
        Path script = Path.of("bench/startup.sh");
        assertThat(Files.isExecutable(script)).as(script.toString()).isTrue();
        // It reads the extract command, the training run and the ENTRYPOINT from the Dockerfile rather than keeping
        // copies, so a start-up measured there is the image's, and a training run that fails there fails here too.
        assertThat(Files.readString(script)).contains("Dockerfile").contains("-Djarmode=tools")
                .contains("-XX:ArchiveClassesAtExit=").contains("ENTRYPOINT").contains("-Xshare:on");
    }

    // ---------------------------------------------------------------- compose helpers

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name), "services." + name);
    }

    /** Container port -> host port (or null when published on a random port), from short or long syntax. */
    private static Map<Integer, String> publishedPorts(String serviceName) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Object entry : list(service(serviceName).get("ports"), serviceName + ".ports")) {
            if (entry instanceof Map<?, ?> port) {
                ports.put(Integer.parseInt(String.valueOf(port.get("target"))), stringOrNull(port.get("published")));
            } else if (entry instanceof String port) {
                String[] parts = port.replaceFirst("/(tcp|udp)$", "").split(":");
                String host = parts.length > 1 ? parts[parts.length - 2] : null;
                ports.put(Integer.parseInt(parts[parts.length - 1]), host);
            } else {
                fail(serviceName + ": port " + entry + " is not a string (YAML 1.1 reads unquoted a:b as a number): quote it");
            }
        }
        return ports;
    }

    /** Container path -> host path or volume name, from short or long syntax. */
    private static Map<String, String> volumeSources(String serviceName) {
        Map<String, String> volumes = new LinkedHashMap<>();
        for (Object entry : list(service(serviceName).get("volumes"), serviceName + ".volumes")) {
            if (entry instanceof Map<?, ?> volume) {
                volumes.put(String.valueOf(volume.get("target")), String.valueOf(volume.get("source")));
            } else {
                String[] parts = String.valueOf(entry).split(":");
                volumes.put(parts[1], parts[0]);
            }
        }
        return volumes;
    }

    /**
     * SnakeYAML keeps the last of two equal keys by default: a rule or service whose lines were pasted into the
     * one above would silently replace part of it (its expr, say) and every check here would still pass.
     */
    private static LoaderOptions strictYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return options;
    }

    private static Map<String, String> environment(String serviceName) {
        Object environment = service(serviceName).get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            for (Object entry : list(environment, serviceName + ".environment")) {
                String[] kv = String.valueOf(entry).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(List.class);
        return (List<?>) value;
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static List<String> normalize(List<?> command) {
        return command.stream().map(part -> String.valueOf(part).trim().replaceAll("\\s+", " ")).toList();
    }

    // ---------------------------------------------------------------- Dockerfile helpers

    private static List<List<Instruction>> stages() {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : dockerfile) {
            if (instruction.is("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(instruction);
            }
        }
        assertThat(stages).as("FROM stages").hasSizeGreaterThanOrEqualTo(2);
        return stages;
    }

    /** The stage's name ({@code FROM image AS name}), or null. */
    private static String stageName(List<Instruction> stage) {
        String[] words = stage.get(0).args().split("\\s+");
        return words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS") ? words[words.length - 1] : null;
    }

    /** What the stage is FROM: an image, or an earlier stage's name. */
    private static String fromOf(List<Instruction> stage) {
        return Stream.of(stage.get(0).args().split("\\s+")).filter(w -> !w.startsWith("--")).findFirst().orElseThrow();
    }

    /**
     * A stage with what it inherits: a stage FROM an earlier stage starts with that stage's files, ENV, WORKDIR and
     * USER, so that stage's instructions come first, then its own (its own FROM left out). The first is always the
     * FROM of an image.
     */
    private static List<Instruction> resolved(int index) {
        List<List<Instruction>> stages = stages();
        List<Instruction> stage = stages.get(index);
        for (int earlier = index - 1; earlier >= 0; earlier--) {
            if (fromOf(stage).equals(stageName(stages.get(earlier)))) {
                List<Instruction> instructions = new ArrayList<>(resolved(earlier));
                instructions.addAll(stage.subList(1, stage.size()));
                return instructions;
            }
        }
        return stage;
    }

    /** The image: the last stage, with what it inherits from earlier ones. */
    private static List<Instruction> image() {
        return resolved(stages().size() - 1);
    }

    private static int indexOf(List<Instruction> stage, String keyword) {
        for (int i = stage.size() - 1; i >= 0; i--) {
            if (stage.get(i).is(keyword)) {
                return i;
            }
        }
        return fail("no " + keyword + " in the image");
    }

    /** The arguments of the last {@code keyword} instruction in {@code instructions}, or null. */
    private static String lastArgs(List<Instruction> instructions, String keyword) {
        String args = null;
        for (Instruction instruction : instructions) {
            if (instruction.is(keyword)) {
                args = instruction.args();
            }
        }
        return args;
    }

    private static List<String> entrypoint() {
        return jsonArray(image().get(indexOf(image(), "ENTRYPOINT")).args());
    }

    private static final Pattern ARCHIVE_AT_EXIT = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)");

    /** The stage with the RUN that makes the class data sharing archive: there must be exactly one. */
    private static int trainingStageIndex() {
        List<List<Instruction>> stages = stages();
        List<Integer> training = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).stream().anyMatch(in -> in.is("RUN") && ARCHIVE_AT_EXIT.matcher(in.args()).find())) {
                training.add(i);
            }
        }
        assertThat(training).as("stages with a training run (-XX:ArchiveClassesAtExit)").hasSize(1);
        return training.get(0);
    }

    private static Instruction trainingRun() {
        return stages().get(trainingStageIndex()).stream()
                .filter(in -> in.is("RUN") && ARCHIVE_AT_EXIT.matcher(in.args()).find()).findFirst().orElseThrow();
    }

    /** The archive's file name, as the training run writes it into /app. */
    private static String archive() {
        Matcher archive = ARCHIVE_AT_EXIT.matcher(trainingRun().args());
        assertThat(archive.find()).isTrue();
        assertThat(archive.group(1)).as("written beside the jar, in /app").doesNotContain("/");
        return archive.group(1);
    }

    /** application.yaml's properties whose default starts with {@code prefix}, with that default. */
    private static Map<String, String> applicationDefaults(String prefix) throws IOException {
        Path file = Path.of("src/main/resources/application.yaml");
        Map<String, String> defaults = new LinkedHashMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))) {
            for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                String value = String.valueOf(source.getProperty(name));
                if (value.startsWith(prefix)) {
                    defaults.put(name, value);
                }
            }
        }
        return defaults;
    }

    /** The exec-form command of the image's HEALTHCHECK. */
    private static String healthcheckCommand() {
        Instruction healthcheck = image().get(indexOf(image(), "HEALTHCHECK"));
        Matcher cmd = Pattern.compile("\\bCMD\\s+(\\[.*])\\s*$").matcher(healthcheck.args());
        assertThat(cmd.find()).as("HEALTHCHECK ... CMD [exec form]: " + healthcheck.args()).isTrue();
        return cmd.group(1);
    }

    /** ENV of the image. */
    private static Map<String, String> dockerfileEnv() {
        return envOf(image());
    }

    /** The ENV the instructions set, KEY=VALUE pairs (quotes removed) or the legacy KEY VALUE form. */
    private static Map<String, String> envOf(List<Instruction> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (!instruction.is("ENV")) {
                continue;
            }
            List<String> words = shellWords(instruction.args());
            if (!words.isEmpty() && !words.get(0).contains("=")) {
                env.put(words.get(0), String.join(" ", words.subList(1, words.size())));
                continue;
            }
            for (String word : words) {
                String[] kv = word.split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    private static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<String> jsonArray(String json) {
        try {
            return new ObjectMapper().readValue(json, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            return fail("not a JSON array (exec form): " + json, e);
        }
    }

    /** One Dockerfile instruction, continuation lines joined, comment lines dropped. */
    record Instruction(String keyword, String args) {

        boolean is(String name) {
            return keyword.equals(name);
        }

        static List<Instruction> parse(List<String> lines) {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : lines) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                    continue; // comments and blank lines, also inside a continued instruction, are not part of it
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String text = current.toString().strip();
                current.setLength(0);
                if (!text.isEmpty()) {
                    String[] parts = text.split("\\s+", 2);
                    instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
                }
            }
            assertThat(current.toString().strip()).as("Dockerfile ends inside a continued instruction").isEmpty();
            return instructions;
        }
    }

    // ---------------------------------------------------------------- properties

    /**
     * What an environment variable can legitimately feed: a property documented in configuration metadata (Spring
     * Boot's, Camel's, and this project's own from the configuration processor), a key of the node's application.yaml,
     * or a {@code ${NAME}} placeholder in it.
     */
    record PropertyCatalogue(Set<ConfigurationPropertyName> properties, String placeholderText) {

        private static final Path MAIN_RESOURCES = Path.of("src", "main", "resources");

        static PropertyCatalogue load() throws IOException {
            Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
            ObjectMapper json = new ObjectMapper();
            ClassLoader loader = DeploymentFilesTest.class.getClassLoader();
            for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                Enumeration<URL> urls = loader.getResources(resource);
                for (URL url : Collections.list(urls)) {
                    try (InputStream in = url.openStream()) {
                        for (JsonNode property : json.readTree(in).path("properties")) {
                            addIfValid(names, property.path("name").asText());
                        }
                    }
                }
            }
            StringBuilder placeholders = new StringBuilder();
            for (Path file : applicationConfigFiles()) {
                placeholders.append(Files.readString(file)).append('\n');
                for (PropertySource<?> source : new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))) {
                    for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                        addIfValid(names, name);
                    }
                }
            }
            assertThat(names).as("configuration metadata on the test classpath").isNotEmpty();
            return new PropertyCatalogue(names, placeholders.toString());
        }

        /** Bound the way Spring Boot binds the real environment, or referenced as a placeholder. */
        boolean binds(String variable) {
            if (Pattern.compile("\\$\\{" + Pattern.quote(variable) + "[:}]").matcher(placeholderText).find()) {
                return true;
            }
            return properties.stream().anyMatch(name -> EnvironmentVariables.sets(variable, name));
        }

        private static void addIfValid(Set<ConfigurationPropertyName> names, String name) {
            if (ConfigurationPropertyName.isValid(name)) {
                names.add(ConfigurationPropertyName.of(name));
            }
        }

        private static List<Path> applicationConfigFiles() throws IOException {
            if (!Files.isDirectory(MAIN_RESOURCES)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(MAIN_RESOURCES)) {
                return files.filter(f -> f.getFileName().toString().matches("application(-[\\w-]+)?\\.ya?ml")).sorted().toList();
            }
        }
    }
}
