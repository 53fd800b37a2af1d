package com.numbersrouter.routes;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Loads the routes from the routes folder at start-up and keeps them in step with it, safely.
 *
 * <p>Camel's own reload is development-grade: on the 4.17 line a failed reload can leave no routes at all, and a
 * bad save would stop webhook intake. Here a change is only applied once the folder has been quiet for a moment
 * (one swap for a multi-file save), and only after the whole new set passed {@link RouteSetValidator}. A refused
 * set changes nothing: the last good routes keep serving, and the problems are logged, shown on the health
 * endpoint and counted. Saving a fixed file recovers.
 *
 * <p>The swap touches only the routes of changed, added or removed files; a route that is stopped finishes its
 * in-flight exchanges first, and callers of a {@code direct:} endpoint wait for its new consumer. When a file with
 * a {@code routeConfiguration} changes, every route is rebuilt, since each one holds its error handling.
 */
public class GuardedRouteReloader implements CamelContextConfiguration, ApplicationListener<ContextClosedEvent>,
        DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRouteReloader.class);

    private final RoutesProperties properties;
    private final Counter reloaded;
    private final Counter refused;
    private final Counter deferred;

    private CamelContext camel;
    private RouteSetValidator validator;
    private RouteConfigurationsByFile configurations;
    private volatile ScheduledExecutorService poller;

    private final Map<Path, Set<String>> routeIdsByFile = new HashMap<>();
    /** The route ids of each file of the last good set, to put it back should a swap fail half-way. */
    private Map<Path, Set<String>> servingIds = Map.of();
    private volatile Map<Path, String> serving = Map.of();
    private volatile ReloadStatus status = ReloadStatus.serving(0);
    private Map<Path, String> lastSeen = Map.of();
    private Map<Path, String> lastRefused;
    private long lastChangeNanos;
    /** After a deferred swap: no new try before this (System.nanoTime()), and the wait after the next deferral. */
    private long retryNotBeforeNanos;
    private long retryBackOffNanos;

    private final StaleHttpMappings staleMappings;
    private final RouteSwapGate gate;

    public GuardedRouteReloader(RoutesProperties properties, MeterRegistry meters,
            List<RequestMappingHandlerMapping> mappings, RouteSwapGate gate) {
        this.properties = properties;
        this.gate = gate;
        this.staleMappings = new StaleHttpMappings(mappings);
        this.reloaded = Counter.builder("numbers.router.route.reloads").tag("outcome", "applied")
                .description("Route folder changes applied").register(meters);
        this.refused = Counter.builder("numbers.router.route.reloads").tag("outcome", "refused")
                .description("Route folder changes refused (the last good routes kept serving)").register(meters);
        this.deferred = Counter.builder("numbers.router.route.reloads").tag("outcome", "deferred")
                .description("Route swaps put off because webhooks in progress were not answered within the drain"
                        + " timeout (tried again at the next look)").register(meters);
        Gauge.builder("numbers.router.route.reload.healthy", this, r -> r.status.healthy() ? 1 : 0)
                .description("1 when the routes on disk are the routes serving, 0 while a change is refused")
                .register(meters);
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        this.camel = context;
        this.validator = new RouteSetValidator(context);
        this.configurations = new RouteConfigurationsByFile(context);
        Map<Path, String> files = RouteFiles.read(properties.directory());
        RouteSetValidator.Result check = validator.check(files);
        if (!check.problems().isEmpty()) {
            throw new IllegalStateException("The routes in " + properties.directory() + " are invalid:\n  "
                    + check.problems().stream().map(RouteProblem::toString).collect(Collectors.joining("\n  ")));
        }
        try {
            load(files, files.keySet(), check.routeIds());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the routes in " + properties.directory(), e);
        }
        servingIds = copyOf(routeIdsByFile);
        serving = files;
        lastSeen = files;
        status = ReloadStatus.serving(files.size());
        LOG.info("Loaded {} route file(s) from {}", files.size(), properties.directory());
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        // the routes are loaded and started: webhooks that came with the web server's start go on
        gate.open();
        if (!properties.watch()) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "route-folder-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for route changes (validated before they are applied)", properties.directory());
    }

    public ReloadStatus status() {
        return status;
    }

    public Path directory() {
        return properties.directory();
    }

    /** For tests: whether these are the files the routes in service were loaded from. */
    boolean serves(Map<Path, String> files) {
        return serving.equals(files);
    }

    /** One look at the folder; applies a change once the folder has been quiet for the quiet period. */
    synchronized void poll() {
        try {
            Map<Path, String> now = RouteFiles.read(properties.directory());
            long nanos = System.nanoTime();
            if (!now.equals(lastSeen)) {
                lastSeen = now;
                lastChangeNanos = nanos;
                return;
            }
            if (nanos - lastChangeNanos < properties.quietPeriod().toNanos() || now.equals(lastRefused)) {
                return;
            }
            if (retryBackOffNanos != 0 && nanos - retryNotBeforeNanos < 0) {
                return; // a swap was just put off: webhooks get the gate to themselves for a while
            }
            if (now.equals(serving)) {
                if (!status.healthy()) {
                    // the refused edit was undone: what is on disk is what serves
                    lastRefused = null;
                    status = ReloadStatus.serving(now.size());
                    LOG.info("Routes in {} match the serving routes again", properties.directory());
                }
                return;
            }
            apply(now);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // never thrown on: the schedule would end with it, and no later save would be read
            LOG.error("Could not read the routes folder {}: {}", properties.directory(), e.toString());
        }
    }

    private void apply(Map<Path, String> next) {
        RouteSetValidator.Result check;
        try {
            check = validator.check(next);
        } catch (StackOverflowError | LinkageError e) {
            // a route file nested too deep for the parser, a beanType: class that cannot load: refused like any
            // problem (thrown on, it would end the watch thread, and no later save would be read until a restart)
            refuse(next, List.of(new RouteProblem(null, null, "the route files could not be checked: " + e)));
            return;
        }
        if (!check.problems().isEmpty()) {
            refuse(next, check.problems());
            return;
        }
        Map<Path, String> previous = serving;
        Exception[] failure = new Exception[1];
        boolean swapped;
        try {
            // No webhook is in progress while routes are stopped and started (RouteSwapGate).
            swapped = gate.whenDrained(properties.drainTimeout(), () -> {
                try {
                    swap(previous, next, check.routeIds());
                    staleMappings.sweep();
                } catch (Exception e) {
                    failure[0] = e;
                    restore(previous, check.routeIds());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failure[0] = e;
            swapped = true;
        }
        if (!swapped) {
            // Each try holds new webhooks for up to the drain timeout; tried again at once, the swap would hold them
            // most of the time while webhooks are slow (a slow broker), and more of them would meet the in-flight
            // bound. So the wait between tries starts at the drain timeout and doubles, up to a minute.
            deferred.increment();
            retryBackOffNanos = retryBackOffNanos == 0 ? properties.drainTimeout().toNanos()
                    : Math.min(2 * retryBackOffNanos, TimeUnit.MINUTES.toNanos(1));
            retryNotBeforeNanos = System.nanoTime() + retryBackOffNanos;
            LOG.warn("Route change waits: webhooks in progress took longer than {} to be answered; trying again in"
                    + " {} s", properties.drainTimeout(), TimeUnit.NANOSECONDS.toSeconds(retryBackOffNanos));
            return;
        }
        retryBackOffNanos = 0;
        if (failure[0] != null) {
            LOG.error("Applying the route change failed; the last good routes were restored: {}",
                    RouteSetValidator.rootMessage(failure[0]));
            refuse(next, List.of(new RouteProblem(null, null,
                    "applying the change failed: " + RouteSetValidator.rootMessage(failure[0]))));
            return;
        }
        servingIds = copyOf(routeIdsByFile);
        serving = next;
        lastRefused = null;
        status = ReloadStatus.serving(next.size());
        reloaded.increment();
        LOG.info("Routes reloaded from {}: {} file(s) changed, {} serving", properties.directory(),
                changedFiles(previous, next).size() + removedFiles(previous, next).size(), next.size());
    }

    private void refuse(Map<Path, String> files, List<RouteProblem> problems) {
        lastRefused = files;
        status = ReloadStatus.refused(serving.size(), problems);
        refused.increment();
        LOG.error("Route change refused; the last good routes keep serving. Fix and save again:\n  {}",
                problems.stream().map(RouteProblem::toString).collect(Collectors.joining("\n  ")));
    }

    /**
     * Routes that no longer exist go first (so a path or endpoint they held is free), then each changed file's
     * routes are replaced one by one: a route is stopped (gracefully) and its successor started right after, so
     * the gap is as short as Camel allows. A changed route configuration rebuilds every route, as each holds its
     * error handling.
     */
    private void swap(Map<Path, String> previous, Map<Path, String> next, Map<Path, Set<String>> nextIds) throws Exception {
        removeRoutesOutside(nextIds);
        removedFiles(previous, next).forEach(routeIdsByFile::remove);
        configurations.forgetAllBut(next.keySet());
        Set<Path> changed = changedFiles(previous, next);
        boolean configurationChanged = changed.stream().anyMatch(p -> declaresConfiguration(previous.get(p))
                || declaresConfiguration(next.get(p)))
                || removedFiles(previous, next).stream().anyMatch(p -> declaresConfiguration(previous.get(p)));
        load(next, configurationChanged ? next.keySet() : changed, nextIds);
    }

    /**
     * Puts the last good routes back, and takes away any the failed change added (a new file's, a renamed one), even
     * those of a file whose load failed half-way.
     */
    private void restore(Map<Path, String> previous, Map<Path, Set<String>> failedIds) {
        try {
            failedIds.forEach((path, ids) -> routeIdsByFile.merge(path, ids, GuardedRouteReloader::union));
            removeRoutesOutside(servingIds);
            routeIdsByFile.keySet().retainAll(previous.keySet());
            configurations.forgetAllBut(previous.keySet());
            routeIdsByFile.replaceAll((path, ids) -> servingIds.getOrDefault(path, Set.of()));
            load(previous, previous.keySet(), servingIds);
            staleMappings.sweep();
        } catch (Exception e) {
            LOG.error("Restoring the last good routes failed: the node may not serve all webhooks: {}",
                    RouteSetValidator.rootMessage(e));
        }
    }

    /** Stops and removes the routes loaded from the folder that the given set no longer has. */
    private void removeRoutesOutside(Map<Path, Set<String>> idsByFile) throws Exception {
        Set<String> keep = allOf(idsByFile);
        for (Set<String> ids : routeIdsByFile.values()) {
            for (String id : ids) {
                if (!keep.contains(id) && camel.getRoute(id) != null) {
                    stopBounded(id);
                    camel.removeRoute(id);
                }
            }
        }
    }

    /**
     * Loads files: their route configurations first, then their routes with Camel's update semantics; records which
     * route ids each file defines, Camel's own record of a route's source file not being reliable when several YAML
     * files are loaded together.
     *
     * @param idsByFile the route ids of each file of the set being loaded: the routes about to be replaced, those
     *                  moving in from a file loaded later included, are stopped first
     */
    private void load(Map<Path, String> files, Set<Path> which, Map<Path, Set<String>> idsByFile) throws Exception {
        List<Path> order = which.stream().sorted().toList();
        // Camel would wait up to its shutdown timeout (camel.main.shutdown-timeout, 15 s) for a route's work in
        // progress before replacing it, while every webhook waits for the swap: stop every route about to be replaced
        // here, bounded, first. That includes a route moving in from a file loaded later.
        for (Path path : order) {
            for (String id : union(routeIdsByFile.getOrDefault(path, Set.of()), idsByFile.getOrDefault(path, Set.of()))) {
                if (camel.getRouteController().getRouteStatus(id) != null
                        && camel.getRouteController().getRouteStatus(id).isStarted()) {
                    stopBounded(id);
                }
            }
        }
        Map<Path, Collection<RoutesBuilder>> builders = new LinkedHashMap<>();
        for (Path path : order) {
            Resource resource = ResourceHelper.fromString(RouteFiles.location(path), files.get(path));
            builders.put(path, PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource)));
        }
        // Every route configuration of these files before any route, so that each route is built with the error
        // handling of the set, whichever file declares it; each file's configurations as last loaded go first, as
        // Camel would keep one the file no longer declares.
        builders.keySet().forEach(configurations::forget);
        for (Map.Entry<Path, Collection<RoutesBuilder>> file : builders.entrySet()) {
            for (RoutesBuilder builder : file.getValue()) {
                if (builder instanceof RouteConfigurationsBuilder declared) {
                    configurations.add(file.getKey(), declared);
                }
            }
        }
        for (Map.Entry<Path, Collection<RoutesBuilder>> file : builders.entrySet()) {
            Set<String> ids = new HashSet<>();
            for (RoutesBuilder builder : file.getValue()) {
                ids.addAll(builder.updateRoutesToCamelContext(camel));
            }
            // a route gone from this file either left the set (removed before the load: removeRoutesOutside) or moved
            // to another file of it, which loads it: nothing to remove here
            routeIdsByFile.put(file.getKey(), ids);
        }
    }

    private static Set<String> allOf(Map<Path, Set<String>> idsByFile) {
        return idsByFile.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return both;
    }

    private static Map<Path, Set<String>> copyOf(Map<Path, Set<String>> idsByFile) {
        Map<Path, Set<String>> copy = new HashMap<>();
        idsByFile.forEach((path, ids) -> copy.put(path, Set.copyOf(ids)));
        return copy;
    }

    /**
     * Every webhook waits while routes are swapped: a route going away (replaced, renamed or deleted) may finish its
     * work in progress for numbers-router.routes.stop-timeout, not Camel's shutdown timeout (15 s). Work cut short
     * goes back to its queue (the node's JMS consumers are transacted).
     */
    private void stopBounded(String id) throws Exception {
        camel.getRouteController().stopRoute(id, properties.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Set<Path> removedFiles(Map<Path, String> previous, Map<Path, String> next) {
        return previous.keySet().stream().filter(p -> !next.containsKey(p)).collect(Collectors.toSet());
    }

    private static Set<Path> changedFiles(Map<Path, String> previous, Map<Path, String> next) {
        return next.keySet().stream()
                .filter(p -> !Objects.equals(previous.get(p), next.get(p)))
                .collect(Collectors.toSet());
    }

    /** A top-level {@code - routeConfiguration:} entry (not a route's {@code routeConfigurationId}). */
    private static final Pattern CONFIGURATION = Pattern.compile("(?m)^\\s*-\\s*routeConfiguration\\s*:");

    private static boolean declaresConfiguration(String content) {
        return content != null && CONFIGURATION.matcher(content).find();
    }

    /** For tests: whether the folder is still looked at. */
    boolean watching() {
        ScheduledExecutorService watch = poller;
        return watch != null && !watch.isTerminated();
    }

    /**
     * The node begins to stop (before the web server, the spool's last drain and Camel do): no route is swapped
     * from now on, and a swap under way is finished first rather than cut off half-way, so Camel never stops
     * during one, nor does a swap load routes into a stopping Camel.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopWatching();
    }

    @Override
    public void destroy() {
        stopWatching();
    }

    private void stopWatching() {
        ScheduledExecutorService watch = poller;
        if (watch == null) {
            return;
        }
        watch.shutdown(); // no further look; the one under way, if any, goes on
        try {
            // A swap waits at most the drain timeout for the webhooks in progress, then stops each route it
            // replaces for at most the stop timeout: 30 s more (Spring's own bound for a shutdown phase) is ample.
            if (!watch.awaitTermination(properties.drainTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("A route swap did not finish as the node stopped; it is cut short");
                watch.shutdownNow();
            }
        } catch (InterruptedException e) {
            watch.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
