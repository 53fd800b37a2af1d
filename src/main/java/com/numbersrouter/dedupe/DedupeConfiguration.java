package com.numbersrouter.dedupe;

import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the intake routes' idempotentConsumer steps refer to by name. */
@Configuration(proxyBeanMethods = false)
public class DedupeConfiguration {

    @Bean
    public NotificationKeys notificationKeys(DedupeProperties properties) {
        return new NotificationKeys(properties.bodyWindow());
    }

    /**
     * Shared by every node on the same database: numbers-router.dedupe.repository=jdbc with Spring Boot's own
     * spring.datasource.url/username/password. The pool is the node's one pool (NodeDataSourceConfiguration),
     * which exists when, and only when, a feature is set to JDBC.
     */
    @Bean("notificationDeduplication")
    @ConditionalOnProperty(name = "numbers-router.dedupe.repository", havingValue = "jdbc")
    public IdempotentRepository jdbcNotificationDeduplication(DedupeProperties properties, DataSource nodeDataSource) {
        return new ExpiringJdbcMessageIdRepository(nodeDataSource, properties.window(), properties.queryTimeout(),
                Clock.systemUTC());
    }

    /** In memory by default; define a bean named notificationDeduplication to use another repository. */
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
