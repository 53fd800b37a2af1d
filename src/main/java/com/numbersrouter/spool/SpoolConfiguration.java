package com.numbersrouter.spool;

import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.infra.DataFolderLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the intake and spool routes call by name. */
@Configuration(proxyBeanMethods = false)
public class SpoolConfiguration {

    /**
     * Held before the spool opens its folder (where it clears the unfinished writes it finds): a second node on the
     * same folder must not start and clear this one's.
     */
    @Bean(destroyMethod = "close")
    public DataFolderLock spoolFolderLock(SpoolProperties properties) {
        return DataFolderLock.take(properties.directory(), "spool (numbers-router.spool.directory)");
    }

    @Bean
    public NotificationSpool notificationSpool(SpoolProperties properties, MeterRegistry meters, ProducerTemplate producer,
            BrokerGroupCommit groupCommit, DataFolderLock spoolFolderLock) {
        NotificationSpool spool = new NotificationSpool(properties, producer, groupCommit);
        Gauge.builder("numbers.router.spool.depth", spool, NotificationSpool::depth)
                .description("Notifications kept in the local spool, waiting for the broker")
                .register(meters);
        // Its bound beside it, so that an alert rule can fire on how full it is (full: notifications get 503).
        Gauge.builder("numbers.router.spool.capacity", properties, p -> p.maxFiles())
                .description("Notifications the local spool holds at most (numbers-router.spool.max-files)")
                .register(meters);
        // Answered 200, then not forwarded: each waits in unreadable/ for an operator, and the depth no longer shows it.
        Gauge.builder("numbers.router.spool.unreadable", spool, NotificationSpool::unreadable)
                .description("Spooled notifications set aside as unreadable (in the spool's unreadable/ folder),"
                        + " not forwarded until an operator moves them back; -1 when that folder cannot be listed")
                .register(meters);
        return spool;
    }

    /**
     * disk_free_bytes / disk_total_bytes{path} of the spool's disk (the audit journal and the in-process broker add
     * theirs): when it is full, the broker's sends fail there too, and notifications get 503. Alert rules warn before.
     */
    @Bean
    public MeterBinder spoolDiskSpace(SpoolProperties properties) {
        return new DiskSpaceMetrics(properties.directory().toFile());
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
