package com.numbersrouter.broker;

import org.springframework.boot.autoconfigure.jms.activemq.ActiveMQConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How many messages the broker pushes ahead to each of the node's queue consumers. ActiveMQ's default, 1,000, suits
 * fast consumers; the node's are slow on purpose (one alert mailer, throttled, waiting on SMTP; the digest and the
 * dead-letter listing receive a few at a time). A backlog on {@code bandwidth.events} would otherwise sit, up to a
 * thousand events of a port-in's thousands of numbers each, in the node's heap and in the broker's memory limit,
 * instead of on the broker's disk.
 */
@Configuration(proxyBeanMethods = false)
public class ConsumerPrefetchConfiguration {

    static final int QUEUE_PREFETCH = 10;

    @Bean
    public ActiveMQConnectionFactoryCustomizer consumerPrefetch() {
        return factory -> factory.getPrefetchPolicy().setQueuePrefetch(QUEUE_PREFETCH);
    }
}
