package com.numbersrouter.routes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Processor;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Checks a whole set of route files before any running route is touched: YAML syntax and the Camel DSL, a route
 * id on every route and no id twice, no HTTP path served twice, and then that every route can really be built
 * (components, endpoints, beans, placeholders) in a scratch Camel context that shares the node's beans and
 * properties but never starts a consumer. The scratch context's platform-http engine is a stub, so checking never
 * touches the web server that is serving webhooks.
 */
public class RouteSetValidator {

    /** The id prefix of every route that receives webhooks over HTTP (WebhookOutcomes selects them by it). */
    static final String WEBHOOK_ROUTE_PREFIX = "webhook-http";
    /** Where the webhook routes hand each webhook on (routes/ingress.camel.yaml). */
    private static final String WEBHOOK_INTAKE = "direct:webhook-intake";

    /**
     * {@code direct:} endpoints the node's own code sends to, so no route of the set shows them as called: renamed or
     * deleted, each caller would wait and fail (the spool would never drain, decisions never be published).
     */
    private static final Map<String, String> CALLED_FROM_JAVA = Map.of(
            "spooled-notification", "the spool forwarder (and the dead-letter replay of bandwidth.unclassified)",
            "portout-decision-publish", "the port-out decisions feed",
            "alert-mail-send", "the alert digest");

    /**
     * The URLs Bandwidth may send port-outs to: the one URL for every subscription, and the port-out one. Without a
     * started route there Tomcat answers 404 before any route runs, and Bandwidth takes a 404 to a port-out as
     * approval. The orders and events aliases may go (README, "How-to").
     */
    static final List<String> PORT_OUT_URLS = List.of("/webhooks/bandwidth", "/webhooks/bandwidth/portout-validation");

    private final CamelContext live;

    public RouteSetValidator(CamelContext live) {
        this.live = live;
    }

    public List<RouteProblem> validate(Map<Path, String> files) {
        return check(files).problems();
    }

    /** The problems of a route set, and which route ids each of its files defines. */
    public record Result(List<RouteProblem> problems, Map<Path, Set<String>> routeIds) {
    }

    public Result check(Map<Path, String> files) {
        List<RouteProblem> problems = new ArrayList<>();
        Map<Path, Set<String>> idsByFile = new HashMap<>();
        DefaultCamelContext scratch = scratchContext();
        try {
            Map<String, Path> routeFiles = new HashMap<>();
            Map<String, Integer> routeLines = new HashMap<>();
            Map<String, String> httpPaths = new HashMap<>();
            Set<String> portOutUrlsServed = new HashSet<>();
            List<RoutesBuilder> builders = new ArrayList<>();
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Path path = file.getKey();
                try {
                    Resource resource = ResourceHelper.fromString(RouteFiles.location(path), file.getValue());
                    for (RoutesBuilder builder : PluginHelper.getRoutesLoader(scratch).findRoutesBuilders(List.of(resource))) {
                        if (builder instanceof RouteBuilder routeBuilder) {
                            for (RouteDefinition route : routeBuilder.configureRoutes(scratch).getRoutes()) {
                                checkRoute(path, route, routeFiles, routeLines, httpPaths, portOutUrlsServed, problems);
                                idsByFile.computeIfAbsent(path, p -> new HashSet<>()).add(route.getRouteId());
                            }
                        }
                        builders.add(builder);
                    }
                } catch (Exception e) {
                    problems.add(problemIn(path, e));
                }
            }
            if (!problems.isEmpty()) {
                return new Result(problems, idsByFile);
            }
            try {
                for (RoutesBuilder builder : builders) {
                    if (builder instanceof RouteConfigurationsBuilder configurations) {
                        configurations.addRouteConfigurationsToCamelContext(scratch);
                    }
                }
                for (RoutesBuilder builder : builders) {
                    builder.addRoutesToCamelContext(scratch);
                }
                // Builds every route (endpoints, processors, bean references) without starting any consumer.
                scratch.start();
                checkDirectConsumers(scratch, problems);
            } catch (Exception e) {
                String routeId = failedRouteId(e);
                problems.add(new RouteProblem(routeFiles.get(routeId), routeLines.get(routeId),
                        (routeId == null ? "" : "route " + routeId + ": ") + rootMessage(e)));
            }
            for (String url : PORT_OUT_URLS) {
                if (!portOutUrlsServed.contains(url)) {
                    problems.add(new RouteProblem(null, null, "no started route serves POST " + url + " and hands it"
                            + " to " + WEBHOOK_INTAKE + ": a 404 there, or an answer that is not the node's, is taken by"
                            + " Bandwidth as approval of a port-out sent there (routes/ingress.camel.yaml serves it)"));
                }
            }
            return new Result(problems, idsByFile);
        } finally {
            scratch.stop();
        }
    }

    private void checkRoute(Path path, RouteDefinition route, Map<String, Path> routeFiles,
            Map<String, Integer> routeLines, Map<String, String> httpPaths, Set<String> portOutUrlsServed,
            List<RouteProblem> problems) {
        Integer line = route.getLineNumber() > 0 ? route.getLineNumber() : null;
        String id = route.getRouteId();
        if (id == null || id.isBlank()) {
            problems.add(new RouteProblem(path, line, "route has no id: give every route an id"));
            return;
        }
        Path previous = routeFiles.putIfAbsent(id, path);
        if (previous != null) {
            problems.add(new RouteProblem(path, line, "duplicate route id '" + id + "' (also in " + previous + ")"));
            return;
        }
        if (line != null) {
            routeLines.put(id, line);
        }
        String uri = route.getInput() == null ? null : route.getInput().getEndpointUri();
        if (uri != null && uri.startsWith("platform-http:")) {
            if (!id.startsWith(WEBHOOK_ROUTE_PREFIX) && handsOnWebhooks(route)) {
                // WebhookOutcomes logs, counts and times the webhooks of routes with this prefix only: a path served
                // under another id would answer webhooks no log line or metric ever shows
                problems.add(new RouteProblem(path, line, "route " + id + " receives webhooks (it sends to "
                        + WEBHOOK_INTAKE + "): its id must start with '" + WEBHOOK_ROUTE_PREFIX
                        + "', so they are logged and counted like the others"));
            }
            String key = httpKey(uri);
            String methods = key.substring(0, key.indexOf(' '));
            String httpPath = key.substring(key.indexOf(' ') + 1);
            if (PORT_OUT_URLS.contains(httpPath) && !startsStopped(route) && handsOnWebhooks(route)
                    && (methods.equals("ANY") || Stream.of(methods.split(",")).map(String::strip).anyMatch("POST"::equals))) {
                portOutUrlsServed.add(httpPath);
            }
            String other = httpPaths.putIfAbsent(key, id);
            if (other != null) {
                problems.add(new RouteProblem(path, line, "route " + id + " serves HTTP " + key
                        + ", which route " + other + " already serves"));
            }
        }
    }

    /** {@code autoStartup: false}, or a placeholder that resolves to it in the node's properties. */
    private boolean startsStopped(RouteDefinition route) {
        String autoStartup = route.getAutoStartup();
        if (autoStartup == null) {
            return false;
        }
        try {
            return "false".equalsIgnoreCase(live.resolvePropertyPlaceholders(autoStartup).strip());
        } catch (RuntimeException unresolved) {
            return false; // an unknown placeholder fails the build of the route below, with its own message
        }
    }

    /** Whether the route hands what it receives to the webhook intake: a webhook route, not another HTTP endpoint. */
    private static boolean handsOnWebhooks(RouteDefinition route) {
        return route.getOutputs().stream().anyMatch(output -> output instanceof ToDefinition to
                && WEBHOOK_INTAKE.equals(to.getEndpointUri()));
    }

    /**
     * A {@code direct:} endpoint that routes send to but no route consumes would make every caller wait and fail:
     * typically a route renamed or deleted in one file while another file still calls it.
     */
    private static void checkDirectConsumers(CamelContext scratch, List<RouteProblem> problems) {
        Set<String> consumed = new HashSet<>();
        scratch.getRoutes().forEach(route -> consumed.add(directName(route.getEndpoint().getEndpointUri())));
        // From the route definitions too: a context that did not start (camel-test may hold every start) has no routes.
        ((ModelCamelContext) scratch).getRouteDefinitions()
                .forEach(route -> consumed.add(directName(route.getInput().getEndpointUri())));
        CALLED_FROM_JAVA.forEach((name, caller) -> {
            if (!consumed.contains(name)) {
                problems.add(new RouteProblem(null, null, "no route consumes from direct:" + name + ", which "
                        + caller + " sends to"));
            }
        });
        for (org.apache.camel.Endpoint endpoint : scratch.getEndpoints()) {
            String name = directName(endpoint.getEndpointUri());
            if (name != null && !consumed.contains(name)) {
                problems.add(new RouteProblem(null, null, "no route consumes from direct:" + name
                        + ", but a route sends to it"));
            }
        }
    }

    private static String directName(String uri) {
        if (uri == null || !uri.startsWith("direct:")) {
            return null;
        }
        String name = uri.substring("direct:".length()).replaceFirst("^//", "");
        int q = name.indexOf('?');
        return q < 0 ? name : name.substring(0, q);
    }

    /** Path plus method restriction, normalised, so two routes answering the same request are caught. */
    static String httpKey(String uri) {
        String rest = uri.substring("platform-http:".length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "/" + rest.replaceAll("^/+", "").replaceAll("/+$", "");
        String methods = "ANY";
        for (String option : query.split("&")) {
            if (option.startsWith("httpMethodRestrict=")) {
                methods = option.substring("httpMethodRestrict=".length()).toUpperCase(Locale.ROOT);
            }
        }
        return methods + " " + path;
    }

    private DefaultCamelContext scratchContext() {
        DefaultCamelContext scratch = new DefaultCamelContext(false);
        scratch.getCamelContextExtension().setName("route-check");
        scratch.getCamelContextExtension().setRegistry(new DefaultRegistry(new ApplicationBeansOnly(live.getRegistry())));
        scratch.disableJMX();
        scratch.setAutoStartup(false);
        scratch.setSourceLocationEnabled(true);
        // A check is not a start-up: keep its route summaries out of the node's log.
        scratch.setStartupSummaryLevel(StartupSummaryLevel.Off);
        scratch.getPropertiesComponent().addPropertiesSource(new LivePropertiesSource(live));
        PlatformHttpComponent http = new PlatformHttpComponent();
        http.setEngine(new InertHttpEngine());
        scratch.addComponent("platform-http", http);
        return scratch;
    }

    private static RouteProblem problemIn(Path path, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException yaml) {
                Optional<Mark> mark = yaml.getProblemMark().or(yaml::getContextMark);
                Integer line = mark.map(m -> m.getLine() + 1).orElse(null);
                String problem = yaml.getProblem() != null ? yaml.getProblem() : firstLine(yaml.getMessage());
                String context = yaml.getContext() != null ? yaml.getContext() + ": " : "";
                return new RouteProblem(path, line, context + problem);
            }
        }
        return new RouteProblem(path, null, rootMessage(e));
    }

    private static String failedRouteId(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException created) {
                return created.getRouteId();
            }
            if (t instanceof FailedToStartRouteException started) {
                return started.getRouteId();
            }
        }
        return null;
    }

    /** The innermost message is the precise one ("No component found with scheme: ftpx"). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 500 ? line : line.substring(0, 500) + "...";
    }

    /** Placeholders resolve exactly as in the running node (Spring environment, Camel properties). */
    private record LivePropertiesSource(CamelContext live) implements PropertiesSource {

        @Override
        public String getName() {
            return "numbers-router-live-properties";
        }

        @Override
        public String getProperty(String name) {
            return live.getPropertiesComponent().resolveProperty(name).orElse(null);
        }
    }

    /** A platform-http engine whose consumers never register anything with the web server (also for tests). */
    static final class InertHttpEngine implements PlatformHttpEngine {

        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return new InertConsumer(endpoint, processor);
        }
    }

    private static final class InertConsumer extends DefaultConsumer implements PlatformHttpConsumer {

        InertConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        public PlatformHttpEndpoint getEndpoint() {
            return (PlatformHttpEndpoint) super.getEndpoint();
        }
    }
}
