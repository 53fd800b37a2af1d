package com.numbersrouter.infra;

import com.numbersrouter.routes.RoutesProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Config files reload with the routes' timing: same poll interval and quiet period, same watch switch. */
@Configuration(proxyBeanMethods = false)
public class ConfigFilesConfiguration {

    @Bean
    public ConfigFileWatcher configFileWatcher(MeterRegistry meters, RoutesProperties routes) {
        return new ConfigFileWatcher(meters, routes.pollInterval().toMillis(), routes.quietPeriod().toMillis(),
                routes.watch());
    }

    @Bean
    public ConfigReloadHealthIndicator configReloadHealthIndicator(ConfigFileWatcher watcher) {
        return new ConfigReloadHealthIndicator(watcher);
    }
}
