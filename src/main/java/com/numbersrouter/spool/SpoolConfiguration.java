package com.numbersrouter.spool;

import com.numbersrouter.broker.BrokerGroupCommit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the intake and spool routes call by name. */
@Configuration(proxyBeanMethods = false)
public class SpoolConfiguration {

    @Bean
    public NotificationSpool notificationSpool(SpoolProperties properties, MeterRegistry meters, ProducerTemplate producer,
            BrokerGroupCommit groupCommit) {
        NotificationSpool spool = new NotificationSpool(properties, producer, groupCommit);
        Gauge.builder("numbers.router.spool.depth", spool, NotificationSpool::depth)
                .description("Notifications kept in the local spool, waiting for the broker")
                .register(meters);
        // Its bound beside it, so that an alert rule can fire on how full it is (full: notifications get 503).
        Gauge.builder("numbers.router.spool.capacity", properties, p -> p.maxFiles())
                .description("Notifications the local spool holds at most (numbers-router.spool.max-files)")
                .register(meters);
        return spool;
    }

    @Bean
    public SpoolDrainOnShutdown spoolDrainOnShutdown(NotificationSpool spool) {
        return new SpoolDrainOnShutdown(spool);
    }

    @Bean
    public SpoolHealthIndicator spoolHealthIndicator(NotificationSpool spool) {
        return new SpoolHealthIndicator(spool);
    }
}
