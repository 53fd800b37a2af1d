package com.numbersrouter.routes;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean
    public GuardedRouteReloader guardedRouteReloader(RoutesProperties properties, MeterRegistry meters,
            ObjectProvider<RequestMappingHandlerMapping> mappings) {
        return new GuardedRouteReloader(properties, meters, mappings.orderedStream().toList());
    }

    @Bean
    public RouteReloadHealthIndicator routeReloadHealthIndicator(GuardedRouteReloader reloader) {
        return new RouteReloadHealthIndicator(reloader);
    }
}
