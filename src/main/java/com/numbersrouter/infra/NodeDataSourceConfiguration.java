package com.numbersrouter.infra;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The node's one connection pool, shared by everything set to {@code jdbc}: duplicate suppression
 * ({@code numbers-router.dedupe.repository}) and the port-out subscriber directory
 * ({@code numbers-router.portout.subscriber-source}). Built from Spring Boot's own {@code spring.datasource.*}
 * (PostgreSQL's driver ships; add another to the class path, README "Duplicates are dropped").
 *
 * <p>Spring Boot's DataSource auto-configuration is off (application.yaml), so the zero-config run never asks for a
 * database; this pool exists only when one of those features is switched to JDBC. Hikari connects on first use, so
 * the subscriber directory does not need the database to start: a node that did not start would not answer
 * port-outs at all, which Bandwidth takes as an approval.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NodeDataSourceConfiguration.DatabaseChosen.class)
@EnableConfigurationProperties(DataSourceProperties.class)
public class NodeDataSourceConfiguration {

    /** Hikari, with Spring Boot's {@code spring.datasource.hikari.*} settings (application.yaml bounds its waits). */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource nodeDataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    static final class DatabaseChosen extends AnyNestedCondition {

        DatabaseChosen() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "numbers-router.dedupe.repository", havingValue = "jdbc")
        static final class SharedDeduplication {
        }

        @ConditionalOnProperty(name = "numbers-router.portout.subscriber-source", havingValue = "jdbc")
        static final class SubscriberDatabase {
        }
    }
}
