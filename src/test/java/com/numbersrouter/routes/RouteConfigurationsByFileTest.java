package com.numbersrouter.routes;

import java.nio.file.Path;

import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A file's route configurations leave Camel with it, by identity, even those added before one of them failed. */
class RouteConfigurationsByFileTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
    private final RouteConfigurationsByFile configurations = new RouteConfigurationsByFile(camel);

    @Test
    void aFilesConfigurationsAddedBeforeOneFailedAreTakenOutWithIt() throws Exception {
        RouteConfigurationDefinition taken = new RouteConfigurationDefinition();
        taken.setId("webhook-errors");
        model.addRouteConfiguration(taken);
        Path file = Path.of("routes/clash.camel.yaml");

        assertThatThrownBy(() -> configurations.add(file, declaring(null, "webhook-errors")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(model.getRouteConfigurationDefinitions()).hasSize(2);

        configurations.forget(file);
        assertThat(model.getRouteConfigurationDefinitions()).containsExactly(taken);
    }

    @Test
    void oneWithoutAnIdKeepsHavingNoIdWhenAnotherFileIsLoadedAndIsTakenOutAlone() throws Exception {
        Path catchAll = Path.of("routes/a-catch-all.camel.yaml");
        Path named = Path.of("routes/error-handling.camel.yaml");
        configurations.add(catchAll, declaring((String) null));
        configurations.add(named, declaring("webhook-errors"));

        assertThat(model.getRouteConfigurationDefinitions()).extracting(RouteConfigurationDefinition::getId)
                .containsExactly(null, "webhook-errors");

        configurations.forget(catchAll);
        assertThat(model.getRouteConfigurationDefinitions()).extracting(RouteConfigurationDefinition::getId)
                .containsExactly("webhook-errors");
    }

    /** A file declaring a route configuration per id given (null: one without an id). */
    private static RouteConfigurationsBuilder declaring(String... ids) {
        return new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                for (String id : ids) {
                    if (id == null) {
                        routeConfiguration().onException(IllegalStateException.class).handled(true);
                    } else {
                        routeConfiguration(id).onException(IllegalArgumentException.class).handled(true);
                    }
                }
            }
        };
    }
}
