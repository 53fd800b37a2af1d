package com.numbersrouter.portout;

import java.nio.file.Path;

import com.numbersrouter.infra.ConfigFileWatcher;
import com.numbersrouter.infra.WatchedFile;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** Port-out validation wiring; the Camel route refers to the validator by its bean name. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PortOutProperties.class)
public class PortOutConfiguration {

    public static final String VALIDATOR_BEAN = "portOutValidator";

    /**
     * Loaded eagerly, so a bad subscriber file stops start-up instead of denying port-outs later; afterwards a
     * saved file replaces it only if it loads (the previous version stays in force otherwise).
     */
    @Bean
    public SubscriberDirectory subscriberDirectory(PortOutProperties properties, ConfigFileWatcher watcher) {
        return new ReloadingSubscriberDirectory(
                watcher.watch("subscribers", properties.subscribersFile(), CsvSubscriberDirectory::new));
    }

    // The encoder stays private to the validator: a PasswordEncoder bean would be picked up by anything that
    // looks for one (Spring Security, if it is ever added).
    @Bean(VALIDATOR_BEAN)
    public PortOutValidator portOutValidator(SubscriberDirectory subscriberDirectory, PortOutProperties properties,
            ConfigFileWatcher watcher,
            @Value("${numbers-router.portout.rules-file:config/portout-rules.yaml}") Path rulesFile) {
        WatchedFile<PortOutProperties> rules =
                watcher.watch("portoutRules", rulesFile, file -> PortOutRulesFile.load(file, properties));
        return new PortOutValidator(subscriberDirectory, rules, PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }
}
