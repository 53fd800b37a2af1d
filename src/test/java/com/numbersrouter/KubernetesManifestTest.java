package com.numbersrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.numbersrouter.support.EnvironmentVariables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The example in {@code deploy/kubernetes/} against what it runs: the image's user, folders and ports, the node's
 * probes and shutdown timeouts in application.yaml, the memory docker-compose.yml gives it, and variables that bind.
 * No cluster runs here, so this is what keeps it from drifting away from the node.
 */
class KubernetesManifestTest {

    private static final Path MANIFEST = Path.of("deploy/kubernetes/numbers-router.yaml");

    private static final Map<String, Map<String, Object>> KINDS = new LinkedHashMap<>();
    private static Map<String, Object> pod;
    private static Map<String, Object> container;
    private static final Map<String, String> APPLICATION = new LinkedHashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        List<Map<String, Object>> services = new ArrayList<>();
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            for (Object document : new Yaml(new SafeConstructor(strict)).loadAll(in)) {
                Map<String, Object> resource = map(document);
                if (resource.get("kind").equals("Service")) {
                    services.add(resource);
                } else {
                    KINDS.put((String) resource.get("kind"), resource);
                }
            }
        }
        assertThat(services).hasSize(3);
        assertThat(KINDS).containsOnlyKeys("StatefulSet");
        // the StatefulSet's service is a headless one (stable pod names), beside the webhooks' and management's
        String serviceName = (String) map(KINDS.get("StatefulSet").get("spec")).get("serviceName");
        assertThat(services).filteredOn(service -> serviceName.equals(map(service.get("metadata")).get("name")))
                .singleElement().satisfies(service -> assertThat(map(service.get("spec"))).containsEntry("clusterIP", "None"));
        pod = map(map(map(KINDS.get("StatefulSet").get("spec")).get("template")).get("spec"));
        List<?> containers = (List<?>) pod.get("containers");
        assertThat(containers).hasSize(1);
        container = map(containers.get(0));
        Path yaml = Path.of("src/main/resources/application.yaml");
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application", new FileSystemResource(yaml))) {
            for (String name : ((org.springframework.core.env.EnumerablePropertySource<?>) source).getPropertyNames()) {
                APPLICATION.put(name, String.valueOf(source.getProperty(name)));
            }
        }
    }

    @Test
    void thePortsAreTheNodesDefaults() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : (List<?>) container.get("ports")) {
            ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
        }
        assertThat(ports).containsEntry("webhooks", defaultOf("server.port"))
                .containsEntry("management", defaultOf("management.server.port"));
    }

    /** The probes are the groups application.yaml defines, on the management port where the actuator is. */
    @Test
    void theProbesAskTheNodesLivenessAndReadinessGroups() {
        assertThat(APPLICATION).containsKey("management.endpoint.health.group.liveness.include")
                .containsKey("management.endpoint.health.group.readiness.include");
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            assertThat(httpGet(probe)).containsEntry("path", "/actuator/health/liveness").containsEntry("port", "management");
        }
        assertThat(httpGet("readinessProbe")).containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", "management");
        Map<String, Object> startup = map(container.get("startupProbe"));
        // time to start on a slow, CPU-limited node: at least a minute
        assertThat((Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold")).isGreaterThanOrEqualTo(60);
    }

    /**
     * The grace period holds the preStop delay, the web phase (webhooks in progress, the spool, the decisions feed)
     * and Camel's shutdown timeout; Kubernetes' default, 30 s, would kill the node half-way through.
     */
    @Test
    void theGracePeriodHoldsTheWholeShutdown() {
        List<?> preStop = (List<?>) map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command");
        assertThat(preStop.get(0)).isEqualTo("sleep");
        long delay = Long.parseLong((String) preStop.get(1));
        Duration webPhase = DurationStyle.detectAndParse(APPLICATION.get("spring.lifecycle.timeout-per-shutdown-phase"));
        long camel = Long.parseLong(APPLICATION.get("camel.main.shutdown-timeout"));

        assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
                .isGreaterThan((int) (delay + webPhase.toSeconds() + camel));
    }

    /** Read-only root: the node writes to its data folder and /tmp (Tomcat's work folders) only, both volumes here. */
    @Test
    void theRootFilesystemIsReadOnlyAndEveryFolderTheNodeWritesIsAVolume() throws IOException {
        assertThat(map(container.get("securityContext"))).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        Map<String, String> mounts = mounts();
        assertThat(mounts).containsEntry("/tmp", "tmp");
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("mkdir -p /app/data");
        assertThat(mounts).containsEntry("/app/data", "data");
        Map<String, Object> claim = map(((List<?>) map(KINDS.get("StatefulSet").get("spec")).get("volumeClaimTemplates")).get(0));
        assertThat(map(claim.get("metadata"))).containsEntry("name", "data");
        // the routes where the image looks for them
        Matcher routes = Pattern.compile("NUMBERS_ROUTER_ROUTES_DIRECTORY=(\\S+)").matcher(dockerfile);
        assertThat(routes.find()).isTrue();
        assertThat(mounts).containsEntry(routes.group(1), "routes");
    }

    /** The image's user, so the data volume (fsGroup) is writable by the node and nothing runs as root. */
    @Test
    void thePodRunsAsTheImagesUser() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)\\s*$").matcher(Files.readString(Path.of("Dockerfile")));
        String uid = null;
        String gid = null;
        while (user.find()) {
            uid = user.group(1);
            gid = user.group(2);
        }
        Map<String, Object> security = map(pod.get("securityContext"));
        assertThat(security).containsEntry("runAsNonRoot", true);
        assertThat(String.valueOf(security.get("runAsUser"))).isEqualTo(uid);
        assertThat(String.valueOf(security.get("fsGroup"))).isEqualTo(gid);
    }

    /** The memory docker-compose.yml gives the node: its JVM options keep it under 512 MiB resident. */
    @Test
    void theMemoryLimitIsTheComposeFilesOne() throws IOException {
        Map<String, Object> limits = map(map(container.get("resources")).get("limits"));
        assertThat(limits.get("memory")).isEqualTo("768Mi");
        assertThat(Files.readString(Path.of("docker-compose.yml"))).contains("mem_limit: 768m");
    }

    /** Each variable sets the property it is meant for (a misspelt one would be ignored, and a default used). */
    @Test
    void everyVariableSetsTheIntendedProperty() {
        Map<String, String> intended = Map.of(
                "SPRING_CONFIG_IMPORT", "spring.config.import",
                "NUMBERS_ROUTER_ZERO_CONFIG", "numbers-router.zero-config",
                "SPRING_ACTIVEMQ_BROKER_URL", "spring.activemq.broker-url",
                "SPRING_MAIL_HOST", "spring.mail.host",
                "NUMBERS_ROUTER_ALERTS_TO", "numbers-router.alerts.to",
                "NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE", "numbers-router.portout.subscribers-file",
                "NUMBERS_ROUTER_PORTOUT_RULES_FILE", "numbers-router.portout.rules-file");
        List<String> names = new ArrayList<>();
        for (Object variable : (List<?>) container.get("env")) {
            String name = (String) map(variable).get("name");
            names.add(name);
            assertThat(intended).as(name).containsKey(name);
            assertThat(EnvironmentVariables.sets(name, ConfigurationPropertyName.of(intended.get(name)))).as(name).isTrue();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(intended.keySet());
        // the subscriber file named is in the Secret mounted there, the rules file in the ConfigMap (the image has
        // neither: nothing of config/ is in it)
        assertThat(mounts()).containsEntry("/app/config/subscribers", "subscribers")
                .containsEntry("/app/config/portout-rules", "portout-rules");
        assertThat(Path.of(env("NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE")).getParent())
                .isEqualTo(Path.of("/app/config/subscribers"));
        assertThat(Path.of(env("NUMBERS_ROUTER_PORTOUT_RULES_FILE")).getParent())
                .isEqualTo(Path.of("/app/config/portout-rules"));
    }

    /**
     * The data volume is given to the node's group once, when fresh: re-permissioned at every start, the folders
     * the node made rwx------ would be opened to the group again.
     */
    @Test
    void theDataFoldersKeepTheirPermissionsAcrossStarts() {
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        assertThat(podSecurity).containsEntry("fsGroup", 10001).containsEntry("fsGroupChangePolicy", "OnRootMismatch");
    }

    private static String env(String name) {
        for (Object variable : (List<?>) container.get("env")) {
            if (name.equals(map(variable).get("name"))) {
                return (String) map(variable).get("value");
            }
        }
        throw new AssertionError(name + " not set");
    }

    private static Map<String, String> mounts() {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object mount : (List<?>) container.get("volumeMounts")) {
            mounts.put((String) map(mount).get("mountPath"), (String) map(mount).get("name"));
        }
        return mounts;
    }

    private static Map<String, Object> httpGet(String probe) {
        return map(map(container.get(probe)).get("httpGet"));
    }

    private static Integer defaultOf(String property) {
        String value = APPLICATION.get(property);
        Matcher placeholder = Pattern.compile("\\$\\{[A-Z_]+:(\\d+)}").matcher(value);
        return Integer.valueOf(placeholder.matches() ? placeholder.group(1) : value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
