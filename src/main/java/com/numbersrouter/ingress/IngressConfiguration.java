package com.numbersrouter.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.infra.ZeroConfigDefaults;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutGuardProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** The beans {@code routes/ingress.camel.yaml} calls by name. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngressConfiguration.class);

    public static final String WEBHOOK_PATHS = "/webhooks/*";

    /**
     * camel-platform-http's engine, running each exchange on the request's own thread ({@link SameThreadExchanges}).
     * Replaces the starter's, which would hand it to Spring's task executor; the component finds it by this name.
     */
    @Bean("platform-http-engine")
    public PlatformHttpEngine platformHttpEngine(Environment environment) {
        return new SpringBootPlatformHttpEngine(environment.getProperty("server.port", Integer.class, 8080),
                SameThreadExchanges.INLINE);
    }

    @Bean
    public static BeanPostProcessor sameThreadExchanges() {
        return SameThreadExchanges.install();
    }

    @Bean
    public WebhookCredentials webhookCredentials(WebhookProperties properties, Environment environment) {
        return WebhookCredentials.from(properties, ZeroConfigDefaults.enabled(environment));
    }

    @Bean
    public BasicAuthChallenge basicAuthChallenge(WebhookCredentials credentials, WebhookProperties properties,
            PortOutGuardProperties portOut, PortOutRefusals portOutRefusals) {
        return new BasicAuthChallenge(credentials, properties.realm(),
                portOut.unauthenticated() == PortOutGuardProperties.Unauthenticated.DENY
                        ? portOutRefusals.invalidRequest() : null, portOutRefusals.audit());
    }

    @Bean
    public WebhookClassifier webhookClassifier() {
        return new WebhookClassifier();
    }

    /** Rendered once, by the same mapper and classes as the port-out route's answers. */
    @Bean
    public PortOutRefusals portOutRefusals(PortOutGatekeeper portOutGatekeeper,
            @Qualifier("safeXmlMapper") XmlMapper safeXmlMapper, PortOutRefusals.Audit unreadPortOutAudit)
            throws JsonProcessingException {
        return new PortOutRefusals(safeXmlMapper.writeValueAsBytes(portOutGatekeeper.failModeAnswer(null)),
                safeXmlMapper.writeValueAsBytes(portOutGatekeeper.invalidRequestAnswer()),
                portOutGatekeeper::undecidedBeforeRoutes, unreadPortOutAudit);
    }

    @Bean
    public FilterRegistrationBean<IntakeAdmission> intakeAdmission(WebhookProperties properties, MeterRegistry meters,
            PortOutRefusals portOutRefusals, Environment environment) {
        String shortfall = IntakeAdmission.threadShortfall(
                environment.getProperty("server.tomcat.threads.max", Integer.class, 200), properties.maxInFlight(),
                properties.reservedForPortOut());
        if (shortfall != null) {
            LOG.warn(shortfall);
        }
        FilterRegistrationBean<IntakeAdmission> registration = new FilterRegistrationBean<>(
                new IntakeAdmission(properties.maxInFlight(), properties.reservedForPortOut(), meters, portOutRefusals));
        registration.addUrlPatterns(WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        // after the body is buffered: a client that dribbles its body must not hold a processing permit
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<WebhookBodyBuffer> webhookBodyBuffer(WebhookProperties properties,
            PortOutRefusals portOutRefusals, MeterRegistry meters) {
        FilterRegistrationBean<WebhookBodyBuffer> registration = new FilterRegistrationBean<>(new WebhookBodyBuffer(
                properties.maxBodySize().toBytes(), properties.bodyMemory().toBytes(), properties.bodyReadTimeout(),
                portOutRefusals, meters));
        registration.addUrlPatterns(WEBHOOK_PATHS, "/webhooks/bandwidth/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
