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
        // before the body is read: a shed request costs nothing
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(WebhookProperties properties) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.maxBodySize().toBytes()));
        registration.addUrlPatterns(WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}
