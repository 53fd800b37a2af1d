package com.numbersrouter.routes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README calls each how-to "a complete drop-in route file": dropped in, it must do everything the route file it
 * replaces does, plus its one documented change. Each test reads the how-to, takes its documented change back out
 * (asserting it is there), and requires the rest to equal the current routes/ file, route by route and step by step.
 * A route edit that the how-tos do not follow (a new {@code transacted: true}, a metrics call, the duplicate check, a
 * log level) fails here until they are regenerated. Comments are not compared.
 */
class HowToInStepTest {

    @Test
    void alertRecipientsOnlyNamesOtherRecipients() throws IOException {
        assertInStep("alert-recipients", "routes/alerts.camel.yaml", howTo -> {
            Map<String, Object> smtp = step(steps(route(howTo, "alert-mail-send")), "to", "smtp:");
            Map<String, Object> parameters = map(smtp.get("parameters"));
            assertThat(parameters.get("to")).isEqualTo("noc@example.com,porting-team@example.com");
            parameters.put("to", "{{numbers-router.alerts.to}}");
        });
    }

    @Test
    void pauseAlertsOnlyStopsTheAlertConsumer() throws IOException {
        assertInStep("pause-alerts", "routes/alerts.camel.yaml", howTo -> {
            Map<String, Object> alertMail = route(howTo, "event-alert-mail");
            assertThat(alertMail.remove("autoStartup")).isEqualTo(false);
        });
    }

    @Test
    void ordersByTypeOnlyChoosesTheQueue() throws IOException {
        assertInStep("orders-by-type", "routes/orders.camel.yaml", howTo -> {
            // The choice's otherwise branch is the route's own send and log; when, the same for port-ins.
            List<Object> steps = steps(route(howTo, "order-to-broker"));
            Map<String, Object> choice = step(steps, "choice", null);
            List<Object> portIns = list(map(list(choice.get("when")).get(0)).get("steps"));
            assertThat(step(portIns, "to", "jms-group-commit:queue:bandwidth.orders.portins")).isNotNull();
            assertThat(step(portIns, "log", null)).containsEntry("loggingLevel", "DEBUG")
                    .extractingByKey("message").asString().contains("bandwidth.orders.portins");
            int at = steps.indexOf(Map.of("choice", choice));
            steps.remove(at);
            steps.addAll(at, list(map(choice.get("otherwise")).get("steps")));
        });
    }

    @Test
    void ordersSecondDestinationOnlyAddsTheTopicAndTheCrm() throws IOException {
        assertInStep("orders-second-destination", "routes/orders.camel.yaml", howTo -> {
            List<Object> steps = steps(route(howTo, "order-to-broker"));
            assertThat(steps.remove(Map.of("to", step(steps, "to", "jms-group-commit:topic:esb.bandwidth.orders"))))
                    .isTrue();
            assertThat(steps.remove(Map.of("to", step(steps, "to", "jms-group-commit:queue:bandwidth.orders.crm"))))
                    .isTrue();
            assertThat(howTo.remove(Map.of("route", route(howTo, "orders-to-crm")))).isTrue();
        });
    }

    /** Takes the documented change out of the how-to, then holds what is left to the current route file. */
    private static void assertInStep(String name, String target, Consumer<List<Object>> takeOutDocumentedChange)
            throws IOException {
        List<Object> howTo = load(Path.of("docs/how-to/" + name + ".camel.yaml"));
        List<Object> routes = load(Path.of(target));
        assertThat(Files.readString(Path.of("docs/how-to/" + name + ".camel.yaml"))).contains("Replaces " + target);

        takeOutDocumentedChange.accept(howTo);

        assertThat(ids(howTo)).as("%s: the routes of %s", name, target).containsExactlyElementsOf(ids(routes));
        for (Object route : routes) {
            String id = (String) map(map(route).get("route")).get("id");
            assertThat(route(howTo, id)).as("%s: route %s, apart from the documented change, as in %s", name, id, target)
                    .isEqualTo(map(map(route).get("route")));
        }
    }

    private static List<Object> load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }

    private static List<String> ids(List<Object> routes) {
        List<String> ids = new ArrayList<>();
        routes.forEach(route -> ids.add((String) map(map(route).get("route")).get("id")));
        return ids;
    }

    private static Map<String, Object> route(List<Object> routes, String id) {
        return routes.stream().map(route -> map(map(route).get("route")))
                .filter(route -> id.equals(route.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no route " + id));
    }

    private static List<Object> steps(Map<String, Object> route) {
        return list(map(route.get("from")).get("steps"));
    }

    /** The first step of that kind (to, log, choice...) whose uri starts with uriPrefix (null: any). */
    private static Map<String, Object> step(List<Object> steps, String kind, String uriPrefix) {
        return steps.stream().map(HowToInStepTest::map).filter(step -> step.containsKey(kind))
                .map(step -> map(step.get(kind)))
                .filter(body -> uriPrefix == null || String.valueOf(body.get("uri")).startsWith(uriPrefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " step " + (uriPrefix == null ? "" : uriPrefix)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return yaml instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object yaml) {
        return yaml instanceof List<?> list ? (List<Object>) list : new ArrayList<>();
    }
}
