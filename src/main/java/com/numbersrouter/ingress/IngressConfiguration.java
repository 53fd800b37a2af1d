package com.numbersrouter.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The beans {@code routes/ingress.camel.yaml} calls by name. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    public static final String WEBHOOK_PATHS = "/webhooks/*";

    @Bean
    public WebhookCredentials webhookCredentials(WebhookProperties properties) {
        return WebhookCredentials.from(properties);
    }

    @Bean
    public BasicAuthChallenge basicAuthChallenge(WebhookCredentials credentials, WebhookProperties properties) {
        return new BasicAuthChallenge(credentials, properties.realm());
    }

    @Bean
    public WebhookClassifier webhookClassifier() {
        return new WebhookClassifier();
    }

    @Bean
    public FilterRegistrationBean<IntakeAdmission> intakeAdmission(WebhookProperties properties, MeterRegistry meters) {
        FilterRegistrationBean<IntakeAdmission> registration = new FilterRegistrationBean<>(
                new IntakeAdmission(properties.maxInFlight(), properties.reservedForPortOut(), meters));
        registration.addUrlPatterns(WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        // after the body is buffered: a client that dribbles its body must not hold a processing permit
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<WebhookBodyBuffer> webhookBodyBuffer(WebhookProperties properties) {
        FilterRegistrationBean<WebhookBodyBuffer> registration =
                new FilterRegistrationBean<>(new WebhookBodyBuffer(properties.maxBodySize().toBytes()));
        registration.addUrlPatterns(WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
