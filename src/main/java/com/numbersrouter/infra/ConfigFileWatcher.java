package com.numbersrouter.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;

/**
 * Watches the operator-edited data files in {@code config/} (the subscriber directory, later the port-out rules)
 * with the same guarantees as the routes: a save is applied once the file has been quiet for a moment, and only
 * if it loads; otherwise the previous version stays in force.
 */
public class ConfigFileWatcher implements DisposableBean {

    private final List<WatchedFile<?>> files = new CopyOnWriteArrayList<>();
    private final MeterRegistry meters;
    private final long quietNanos;
    private final ScheduledExecutorService poller;

    public ConfigFileWatcher(MeterRegistry meters, long pollMillis, long quietMillis, boolean watch) {
        this.meters = meters;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        if (watch) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "config-file-watch");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::pollAll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    public <T> WatchedFile<T> watch(String name, Path path, Function<Path, T> loader) {
        WatchedFile<T> file = new WatchedFile<>(name, path, loader);
        files.add(file);
        // both outcomes present from the start (at 0): increase() misses the first count of a series it has not seen
        reloads(name, true);
        reloads(name, false);
        // 1 while the file on disk is the version in force; 0 while a change is refused (as long as it stays so,
        // where the refusal is counted once): what an alert holds on until the file is fixed
        Gauge.builder("numbers.router.config.reload.healthy", file, f -> f.problem() == null ? 1 : 0)
                .description("1 when the watched file on disk is the version in force, 0 while a change to it is refused")
                .tag("file", name)
                .register(meters);
        return file;
    }

    private Counter reloads(String file, boolean applied) {
        return Counter.builder("numbers.router.config.reloads")
                .description("Changes to operator-edited config files, applied or refused")
                .tag("file", file)
                .tag("outcome", applied ? "applied" : "refused")
                .register(meters);
    }

    public List<WatchedFile<?>> files() {
        return List.copyOf(files);
    }

    void pollAll() {
        for (WatchedFile<?> file : files) {
            Boolean applied = file.poll(quietNanos);
            if (applied != null) {
                reloads(file.name(), applied).increment();
            }
        }
    }

    @Override
    public void destroy() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
