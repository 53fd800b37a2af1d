package com.numbersrouter.routes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * Which route configurations ({@code - routeConfiguration:}) each route file put into Camel, so that a file's are
 * taken out when it is reloaded, deleted, or was part of a refused change. Camel itself only replaces a configuration
 * by its id: one without an id (which applies to every route) would pile up with each reload, and one whose file was
 * deleted would stay, still applying to every route built after.
 */
final class RouteConfigurationsByFile {

    private final Model model;
    private final Map<Path, List<RouteConfigurationDefinition>> byFile = new HashMap<>();

    RouteConfigurationsByFile(CamelContext camel) {
        this.model = camel.getCamelContextExtension().getContextPlugin(Model.class);
    }

    /** What Camel holds now: to tell, after a file is loaded, which configurations came from it. */
    List<RouteConfigurationDefinition> current() {
        return List.copyOf(model.getRouteConfigurationDefinitions());
    }

    /** Records the configurations that are in Camel now and were not in {@code before}, as the file's. */
    void loaded(Path file, List<RouteConfigurationDefinition> before) {
        List<RouteConfigurationDefinition> files = byFile.computeIfAbsent(file, f -> new ArrayList<>());
        for (RouteConfigurationDefinition definition : model.getRouteConfigurationDefinitions()) {
            if (before.stream().noneMatch(known -> known == definition)) {
                files.add(definition);
            }
        }
    }

    /** Takes the file's configurations out of Camel (routes built after this no longer get them). */
    void forget(Path file) throws Exception {
        for (RouteConfigurationDefinition definition : byFile.getOrDefault(file, List.of())) {
            // Still the one in Camel (a file loaded since may have replaced it by its id): removed by a unique id,
            // since Camel removes by id and one without an id would only be given one.
            if (model.getRouteConfigurationDefinitions().stream().anyMatch(held -> held == definition)) {
                definition.setId("removed-" + UUID.randomUUID());
                model.removeRouteConfiguration(definition);
            }
        }
        byFile.remove(file);
    }

    /** Takes out the configurations of every file not among these. */
    void forgetAllBut(Set<Path> files) throws Exception {
        for (Path file : List.copyOf(byFile.keySet())) {
            if (!files.contains(file)) {
                forget(file);
            }
        }
    }
}
