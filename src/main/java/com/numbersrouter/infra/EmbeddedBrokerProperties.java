package com.numbersrouter.infra;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process ActiveMQ broker used when {@code spring.activemq.broker-url} is not set.
 *
 * @param dataDirectory KahaDB store: messages survive a restart of the node
 * @param connector     TCP (OpenWire) connector so an ESB or the {@code activemq} CLI can consume;
 *                      blank for none
 */
@ConfigurationProperties("numbers-router.embedded-broker")
public record EmbeddedBrokerProperties(
        @DefaultValue("data/activemq") Path dataDirectory,
        @DefaultValue("tcp://0.0.0.0:61616") String connector) {
}
