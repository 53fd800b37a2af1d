package com.numbersrouter.portout;

import javax.sql.DataSource;

import com.numbersrouter.infra.ConfigFileWatcher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where port-out validation looks numbers up, chosen by {@code numbers-router.portout.subscriber-source}:
 * {@code csv} (default, config/subscribers.csv) or {@code jdbc} (a table on {@code spring.datasource.*}).
 */
@Configuration(proxyBeanMethods = false)
public class SubscriberSourceConfiguration {

    public static final String SOURCE_PROPERTY = "numbers-router.portout.subscriber-source";
    public static final String DIRECTORY_BEAN = "subscriberDirectory";

    /**
     * Loaded eagerly, so a bad subscriber file stops start-up instead of denying port-outs later; afterwards a
     * saved file replaces it only if it loads (the previous version stays in force otherwise).
     */
    @Bean(DIRECTORY_BEAN)
    @ConditionalOnProperty(name = SOURCE_PROPERTY, havingValue = "csv", matchIfMissing = true)
    public SubscriberDirectory csvSubscriberDirectory(PortOutProperties properties, ConfigFileWatcher watcher) {
        return new ReloadingSubscriberDirectory(
                watcher.watch("subscribers", properties.subscribersFile(), CsvSubscriberDirectory::new));
    }

    /** Queried per number and never at start-up: the database is needed by the first port-out, not by the node. */
    @Bean(DIRECTORY_BEAN)
    @ConditionalOnProperty(name = SOURCE_PROPERTY, havingValue = "jdbc")
    public SubscriberDirectory jdbcSubscriberDirectory(DataSource nodeDataSource, JdbcSubscriberProperties properties) {
        return new JdbcSubscriberDirectory(nodeDataSource, properties);
    }

    /** A misspelt source stops start-up naming the property, instead of leaving the validator without a directory. */
    @Bean(DIRECTORY_BEAN)
    @Conditional(UnknownSource.class)
    public SubscriberDirectory unknownSubscriberSource(Environment environment) {
        throw new IllegalStateException(SOURCE_PROPERTY + " must be csv or jdbc, not '"
                + environment.getProperty(SOURCE_PROPERTY) + "'");
    }

    static final class UnknownSource extends NoneNestedConditions {

        UnknownSource() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = SOURCE_PROPERTY, havingValue = "csv", matchIfMissing = true)
        static final class Csv {
        }

        @ConditionalOnProperty(name = SOURCE_PROPERTY, havingValue = "jdbc")
        static final class Jdbc {
        }
    }
}
