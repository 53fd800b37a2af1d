package com.numbersrouter.operations;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What an operations team reads: the per-webhook log line and metrics (Camel picks up EventNotifier beans). */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    public WebhookOutcomes webhookOutcomes(MeterRegistry meters) {
        return new WebhookOutcomes(meters);
    }
}
