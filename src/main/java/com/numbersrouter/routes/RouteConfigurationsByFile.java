package com.numbersrouter.routes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * Which route configurations ({@code - routeConfiguration:}) each route file put into Camel, so that a file's are
 * taken out when it is reloaded, deleted, or was part of a refused change. Camel itself only replaces a configuration
 * by its id, and its lookups by id give one without an id (which applies to every route that names none) a generated
 * id: such a configuration would pile up with each reload, stop applying once another file's were loaded after it,
 * and stay, still applying, once its file was deleted.
 */
final class RouteConfigurationsByFile {

    private final CamelContext camel;
    private final Model model;
    private final Map<Path, List<RouteConfigurationDefinition>> byFile = new HashMap<>();

    RouteConfigurationsByFile(CamelContext camel) {
        this.camel = camel;
        this.model = camel.getCamelContextExtension().getContextPlugin(Model.class);
    }

    /**
     * Adds a file's configurations to Camel, and records them as the file's. Added, not updated: Camel's update looks
     * each one up by its id first, and the lookup gives every configuration it passes that has no id a generated one,
     * after which that configuration applies to no route (a route naming none gets those without an id).
     */
    void add(Path file, RouteConfigurationsBuilder declared) throws Exception {
        List<RouteConfigurationDefinition> before = List.copyOf(model.getRouteConfigurationDefinitions());
        try {
            declared.addRouteConfigurationsToCamelContext(camel);
        } finally {
            // also those added before one failed (an id already taken): a refused change's restore takes them out
            List<RouteConfigurationDefinition> files = byFile.computeIfAbsent(file, f -> new ArrayList<>());
            for (RouteConfigurationDefinition definition : model.getRouteConfigurationDefinitions()) {
                if (before.stream().noneMatch(known -> known == definition)) {
                    files.add(definition);
                }
            }
        }
    }

    /**
     * Takes the file's configurations out of Camel (routes built after this no longer get them). By identity, from
     * the model's own list: Camel's removal looks up by id, which would give one without an id an id instead.
     */
    void forget(Path file) {
        for (RouteConfigurationDefinition definition : byFile.getOrDefault(file, List.of())) {
            model.getRouteConfigurationDefinitions().removeIf(held -> held == definition);
        }
        byFile.remove(file);
    }

    /** Takes out the configurations of every file not among these. */
    void forgetAllBut(Set<Path> files) {
        for (Path file : List.copyOf(byFile.keySet())) {
            if (!files.contains(file)) {
                forget(file);
            }
        }
    }
}
