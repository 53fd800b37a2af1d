package com.numbersrouter.portout;

import java.nio.file.Path;
import java.time.Clock;

import com.numbersrouter.infra.ConfigFileWatcher;
import com.numbersrouter.infra.WatchedFile;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * Port-out validation wiring; the Camel routes refer to these beans by name. The subscriber directory
 * it checks against comes from {@link SubscriberSourceConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PortOutProperties.class, PortOutGuardProperties.class})
public class PortOutConfiguration {

    public static final String VALIDATOR_BEAN = "portOutValidator";

    // The encoder stays private to the validator: a PasswordEncoder bean would be picked up by anything that
    // looks for one (Spring Security, if it is ever added).
    @Bean(VALIDATOR_BEAN)
    public PortOutValidator portOutValidator(SubscriberDirectory subscriberDirectory, PortOutProperties properties,
            PortOutGuardProperties guard, ConfigFileWatcher watcher,
            @Value("${numbers-router.portout.rules-file:config/portout-rules.yaml}") Path rulesFile) {
        WatchedFile<PortOutRuleSet> rules =
                watcher.watch("portoutRules", rulesFile, file -> PortOutRulesFile.load(file, properties));
        return new PortOutValidator(subscriberDirectory, rules, PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                guard.effectivePinChecksAtOnce());
    }

    @Bean
    public PortOutGatekeeper portOutGatekeeper(PortOutValidator portOutValidator, PortOutGuardProperties guard,
            MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        return new PortOutGatekeeper(portOutValidator, new PortOutLockout(guard.lockout(), clock, meters),
                new PortOutRepeats(guard.repeatWindow(), clock, meters), guard.failMode(), guard.deadline(), clock, meters);
    }

    /**
     * The port-out route's circuit breaker. Bandwidth approves a port-out it gets no answer for within 30 s, so the
     * decision gets {@code numbers-router.portout.deadline} (enforced by the gatekeeper itself: Camel's own timeout
     * would let a late decision overwrite the answer), then the fail mode answers. A directory that keeps failing or
     * missing the deadline opens the breaker, and requests get the fail-mode answer at once until a trial call
     * succeeds.
     */
    @Bean
    public Resilience4jConfigurationDefinition portOutDeadline(PortOutGuardProperties guard) {
        Resilience4jConfigurationDefinition deadline = new Resilience4jConfigurationDefinition();
        deadline.setTimeoutEnabled("false");
        deadline.setSlidingWindowSize("20");
        deadline.setMinimumNumberOfCalls("10");
        deadline.setFailureRateThreshold("50");
        deadline.setWaitDurationInOpenState("30");
        return deadline;
    }
}
