package com.numbersrouter.dedupe;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the intake routes' idempotentConsumer steps refer to by name. */
@Configuration(proxyBeanMethods = false)
public class DedupeConfiguration {

    @Bean
    public NotificationKeys notificationKeys() {
        return new NotificationKeys();
    }

    /** In memory by default; define a bean named notificationDeduplication (e.g. JDBC) to share it between nodes. */
    @Bean
    @ConditionalOnMissingBean(name = "notificationDeduplication")
    public IdempotentRepository notificationDeduplication(DedupeProperties properties, MeterRegistry meters) {
        TimeWindowIdempotentRepository repository =
                new TimeWindowIdempotentRepository(properties.window(), properties.maxEntries(), Clock.systemUTC());
        Gauge.builder("numbers.router.dedupe.keys", repository, TimeWindowIdempotentRepository::size)
                .description("Notification keys remembered for duplicate suppression").register(meters);
        return repository;
    }
}
