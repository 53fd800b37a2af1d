package com.numbersrouter.routes;

import java.time.Duration;
import java.util.Map;

import com.numbersrouter.alerts.AlertProperties;
import com.numbersrouter.ingress.IngressConfiguration;
import com.numbersrouter.ingress.PortOutRefusals;
import com.numbersrouter.portout.PortOutGuardProperties;
import com.numbersrouter.spool.SpoolProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean
    @ConditionalOnProperty(name = RouteCheckCommand.CHECK_MODE, havingValue = "false", matchIfMissing = true)
    public GuardedRouteReloader guardedRouteReloader(RoutesProperties properties, MeterRegistry meters,
            ObjectProvider<RequestMappingHandlerMapping> mappings, RouteSwapGate routeSwapGate) {
        return new GuardedRouteReloader(properties, meters, mappings.orderedStream().toList(), routeSwapGate);
    }

    /** Checked as the node starts: a duration Camel's timers would read differently stops it. */
    @Bean
    public TimerPeriods timerPeriods(Environment environment, SpoolProperties spool, AlertProperties alerts) {
        return new TimerPeriods(environment, Map.of(
                "numbers-router.spool.forward-every", spool.forwardEvery(),
                "numbers-router.alerts.storm.window", alerts.storm().window()));
    }

    /** Camel resolves {@code direct:} by this name: every route and template gets swap-safe producers. */
    @Bean("direct")
    public SwapSafeDirectComponent direct() {
        return new SwapSafeDirectComponent();
    }

    /** Webhooks that come as the web server starts wait for the routes: 25 s, or a port-out its deadline. */
    @Bean
    public RouteSwapGate routeSwapGate(PortOutGuardProperties portOutGuard, PortOutRefusals portOutRefusals,
            MeterRegistry meters) {
        return new RouteSwapGate(Duration.ofSeconds(25), portOutGuard.deadline(), portOutRefusals, meters);
    }

    /** After admission: a webhook shed with 503 never waits for a swap. */
    @Bean
    public FilterRegistrationBean<RouteSwapGate> routeSwapGateFilter(RouteSwapGate routeSwapGate) {
        FilterRegistrationBean<RouteSwapGate> registration = new FilterRegistrationBean<>(routeSwapGate);
        registration.addUrlPatterns(IngressConfiguration.WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 150);
        return registration;
    }

    @Bean
    @ConditionalOnBean(GuardedRouteReloader.class)
    public RouteReloadHealthIndicator routeReloadHealthIndicator(GuardedRouteReloader reloader) {
        return new RouteReloadHealthIndicator(reloader);
    }
}
