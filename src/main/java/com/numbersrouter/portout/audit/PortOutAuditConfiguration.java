package com.numbersrouter.portout.audit;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The port-out audit trail: the journal the port-out route records each decision in (by bean name), the beans
 * {@code routes/portout-audit.camel.yaml} calls to publish it, and {@code /actuator/portoutdecisions}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PortOutAuditProperties.class)
public class PortOutAuditConfiguration {

    public static final String JOURNAL_BEAN = "portOutDecisionJournal";

    @Bean
    public PortOutDecisionJson portOutDecisionJson() {
        return new PortOutDecisionJson();
    }

    @Bean
    public PortOutDecisionJmsProperties portOutDecisionJmsProperties() {
        return new PortOutDecisionJmsProperties();
    }

    /** Created at start-up, so an unusable directory stops the node instead of failing port-outs later. */
    @Bean(JOURNAL_BEAN)
    public PortOutDecisionJournal portOutDecisionJournal(PortOutAuditProperties properties, PortOutDecisionJson json,
            MeterRegistry meters) {
        return new PortOutDecisionJournal(properties.audit().directory(), properties.audit().retention(),
                Clock.systemUTC(), json, meters);
    }

    @Bean
    public PortOutDecisionEndpoint portOutDecisionEndpoint(PortOutDecisionJournal journal) {
        return new PortOutDecisionEndpoint(journal, Clock.systemUTC());
    }
}
