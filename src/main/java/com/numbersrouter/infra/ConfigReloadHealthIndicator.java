package com.numbersrouter.infra;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code configReload} on the health endpoint: OUT_OF_SERVICE, with the file and the problem, while a saved
 * config file is refused (its previous version still serves). Not part of readiness, like routeReload.
 */
public class ConfigReloadHealthIndicator implements HealthIndicator {

    private final ConfigFileWatcher watcher;

    public ConfigReloadHealthIndicator(ConfigFileWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public Health health() {
        boolean healthy = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (WatchedFile<?> file : watcher.files()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("path", file.path().toString());
            detail.put("checkedAt", file.checkedAt().toString());
            if (file.problem() != null) {
                healthy = false;
                detail.put("problem", file.problem());
            }
            details.put(file.name(), detail);
        }
        return (healthy ? Health.up() : Health.outOfService()).withDetails(details).build();
    }
}
