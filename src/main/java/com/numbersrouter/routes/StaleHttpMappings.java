package com.numbersrouter.routes;

import java.util.List;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.StatefulService;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Removes the Spring MVC mappings of platform-http consumers that are no longer running. On camel-platform-http
 * for Spring Boot 4.17 a removed route leaves its mapping behind, so its path answers 500 instead of 404 and the
 * path cannot be served again by another route; after every swap this clears them.
 */
final class StaleHttpMappings {

    private final List<RequestMappingHandlerMapping> mappings;

    StaleHttpMappings(List<RequestMappingHandlerMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    int sweep() {
        int removed = 0;
        for (RequestMappingHandlerMapping mapping : mappings) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : Map.copyOf(mapping.getHandlerMethods()).entrySet()) {
                if (entry.getValue().getBean() instanceof Consumer consumer && isGone(consumer)) {
                    mapping.unregisterMapping(entry.getKey());
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isGone(Consumer consumer) {
        return consumer instanceof StatefulService service && (service.isStopped() || service.isStopping());
    }
}
