package com.numbersrouter.infra;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when a Spring Boot connection property was left to its zero-config default. */
abstract class ZeroConfigCondition implements Condition {

    private final String property;

    ZeroConfigCondition(String property) {
        this.property = property;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return ZeroConfigDefaults.isDefaulted(context.getEnvironment(), property);
    }

    static final class NoBrokerConfigured extends ZeroConfigCondition {
        NoBrokerConfigured() {
            super(ZeroConfigDefaults.BROKER_URL);
        }
    }

    static final class NoSmtpServerConfigured extends ZeroConfigCondition {
        NoSmtpServerConfigured() {
            super(ZeroConfigDefaults.MAIL_HOST);
        }
    }
}
