package com.numbersrouter.routes;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean
    @ConditionalOnProperty(name = RouteCheckCommand.CHECK_MODE, havingValue = "false", matchIfMissing = true)
    public GuardedRouteReloader guardedRouteReloader(RoutesProperties properties, MeterRegistry meters,
            ObjectProvider<RequestMappingHandlerMapping> mappings) {
        return new GuardedRouteReloader(properties, meters, mappings.orderedStream().toList());
    }

    @Bean
    @ConditionalOnBean(GuardedRouteReloader.class)
    public RouteReloadHealthIndicator routeReloadHealthIndicator(GuardedRouteReloader reloader) {
        return new RouteReloadHealthIndicator(reloader);
    }
}
