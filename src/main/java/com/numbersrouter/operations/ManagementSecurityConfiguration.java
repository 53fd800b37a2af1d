package com.numbersrouter.operations;

import com.numbersrouter.infra.ZeroConfigDefaults;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;

/**
 * Spring Security on the management port, and only there.
 * <p>
 * Open: health status and the probes (an orchestrator or Docker's health check has no login), {@code info} and
 * {@code prometheus} (a scraper). Behind the operators' login ({@link ManagementLogin}): everything else, i.e. the
 * dead-letter replay (a write), the port-out audit (subscriber numbers), Camel's routes, and the health details
 * ({@code management.endpoint.health.show-details: when-authorized}), which name folders, hosts and broker errors.
 * <p>
 * The webhook port keeps its own authentication (the {@code basicAuthChallenge} processor, Bandwidth's challenge
 * flow) and gets none of Spring Security's filters: {@code SecurityFilterAutoConfiguration}, which would register them
 * there, is excluded in {@code application.yaml}, and {@link #noSecurityFiltersOnTheWebhookPort} stops Spring Boot
 * from registering the filter chain bean there by itself. Spring Boot's management context registers the same chain
 * on the management port. Should an operator set the management port to the webhook port, the chain runs on that
 * port for the actuator's paths only ({@code securityMatcher}), so the operator endpoints still ask for the login.
 */
@Configuration(proxyBeanMethods = false)
// not in the route check's context (java -jar … check), which serves nothing
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementLoginProperties.class)
public class ManagementSecurityConfiguration {

    static final String REALM = "numbers-router management";

    @Bean
    public ManagementLogin managementLogin(ManagementLoginProperties properties, Environment environment) {
        return ManagementLogin.from(properties, ZeroConfigDefaults.enabled(environment));
    }

    @Bean
    public RefusedManagementLogins refusedManagementLogins(MeterRegistry meters) {
        return new RefusedManagementLogins(meters);
    }

    @Bean
    public SecurityFilterChain managementEndpoints(HttpSecurity http) throws Exception {
        // The login is checked by ManagementLogin, the one AuthenticationProvider bean, which Spring Security makes
        // the node's authentication (and which keeps Spring Boot from generating a user of its own).
        return http
                // The actuator's paths only: with the management port set to the webhook port, the chain runs there too
                // and must leave the webhooks to their own authentication.
                .securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
                                PrometheusScrapeEndpoint.class)).permitAll()
                        .anyRequest().hasAuthority(ManagementLogin.ROLE))
                .httpBasic(basic -> basic.realmName(REALM))
                // curl and scripts, not browsers: no session, no cookie. Without a cookie there is nothing for a
                // cross-site request to ride on but a browser's remembered Basic login, and the one write
                // (POST /actuator/deadletters/{queue}) takes JSON, which a cross-site form cannot send.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
    }

    /**
     * Spring Boot registers every {@code Filter} bean on the main server (the webhook port) unless a registration
     * bean says otherwise: this one says not to. Webhooks are authenticated by the routes' own processor. Only with a
     * management port of its own: set to the webhook port, the actuator is served there, and the chain with it.
     */
    @Bean
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    public FilterRegistrationBean<Filter> noSecurityFiltersOnTheWebhookPort(
            @Qualifier(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME) Filter securityFilters) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(securityFilters);
        registration.setEnabled(false);
        return registration;
    }
}
