package com.numbersrouter.portout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

import com.numbersrouter.infra.ConfigFileWatcher;
import com.numbersrouter.infra.ElapsedClock;
import com.numbersrouter.ingress.WebhookProperties;
import com.numbersrouter.infra.WatchedFile;
import com.numbersrouter.portout.audit.PortOutAuditProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger LOG = LoggerFactory.getLogger(PortOutConfiguration.class);

    public static final String VALIDATOR_BEAN = "portOutValidator";

    // The encoder stays private to the validator: a PasswordEncoder bean would be picked up by anything that
    // looks for one (Spring Security, if it is ever added).
    @Bean(VALIDATOR_BEAN)
    public PortOutValidator portOutValidator(SubscriberDirectory subscriberDirectory, PortOutProperties properties,
            PortOutGuardProperties guard, ConfigFileWatcher watcher,
            @Value("${numbers-router.portout.rules-file:config/portout-rules.yaml}") Path rulesFile) {
        if (!Files.exists(rulesFile)) {
            // Not an error (the properties alone are a valid rule set), but a node started from another working folder
            // would lose its rules without a word: say where it looked.
            LOG.warn("No port-out rules file at {}: the numbers-router.portout.* properties alone decide which checks"
                    + " apply (numbers-router.portout.rules-file)", rulesFile.toAbsolutePath());
        }
        AtomicBoolean started = new AtomicBoolean();
        WatchedFile<PortOutRuleSet> rules = watcher.watch("portoutRules", rulesFile, file -> {
            if (started.get() && !Files.exists(file)) {
                // a volume not mounted, a clean-up: the per-account rules and stricter checks must not go silently
                throw new IllegalArgumentException(file.toAbsolutePath() + " was deleted: the rules in force stay."
                        + " Save an empty file to go back to the numbers-router.portout.* properties alone");
            }
            PortOutRuleSet loaded = PortOutRulesFile.load(file, properties);
            // what is in force now, so that an edit that loads but checks less (or denies everything) shows in the log
            LOG.info("Port-out rules in force: {}", loaded.summary());
            return loaded;
        });
        started.set(true);
        return new PortOutValidator(subscriberDirectory, rules, PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                guard.effectivePinChecksAtOnce());
    }

    @Bean
    public PortOutGatekeeper portOutGatekeeper(PortOutValidator portOutValidator, PortOutGuardProperties guard,
            MeterRegistry meters, WebhookProperties webhook, PortOutAuditProperties audit) {
        PortOutTimeBudget.check(webhook.bodyReadTimeout(), guard.deadline(), audit.audit().recordTimeout());
        // Windows (a lockout, a remembered answer) on elapsed time: a step of the host's clock must not lift every lock.
        // The decision's recorded time stays the wall clock's.
        Clock windows = new ElapsedClock();
        return new PortOutGatekeeper(portOutValidator, new PortOutLockout(guard.lockout(), windows, meters),
                new PortOutRepeats(guard.repeatWindow(), windows, meters), guard.failMode(), guard.deadline(),
                Clock.systemUTC(), meters);
    }

    /** {@code /actuator/portoutlocks}: the locks in force, and lifting them (behind the operators' login). */
    @Bean
    public PortOutLockEndpoint portOutLockEndpoint(PortOutGatekeeper portOutGatekeeper) {
        return new PortOutLockEndpoint(portOutGatekeeper);
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
