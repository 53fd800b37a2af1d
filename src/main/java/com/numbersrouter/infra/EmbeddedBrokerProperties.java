package com.numbersrouter.infra;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The in-process ActiveMQ broker used when {@code spring.activemq.broker-url} is not set.
 *
 * @param dataDirectory KahaDB store: messages survive a restart of the node
 * @param connector     TCP (OpenWire) connector so an ESB or the {@code activemq} CLI can consume;
 *                      blank for none
 * @param memoryLimit   heap the broker may use for messages in transit; beyond it queued messages stay on disk only
 *                      (producer flow control is off: no producer waits): the broker never grows the node's heap
 *                      without bound, whatever the backlog
 * @param storeLimit    disk the KahaDB store may use; when full, sends fail at once and the node spools
 * @param tempLimit     disk for non-persistent overflow (the node sends nothing non-persistent; kept small)
 * @param username      the one user every connection must authenticate as: the node's own, an ESB's, the CLI's
 * @param password      its password; unset, {@link ZeroConfigDefaults} generates one at each start and the broker logs
 *                      it once (never a configured one)
 * @param consumerUsername an ESB's user that may only read {@code consumerQueues}
 * @param consumerPassword its password; unset, there is no such user, and an ESB connects as the node's user
 * @param consumerQueues   the queues the consumer user may read: the node's outputs, never its work queues (the
 *                         alert mailer's events, the digest, the dead letters). application.yaml names the orders
 *                         and decisions queues by their own properties, so a renamed queue stays readable
 */
@ConfigurationProperties("numbers-router.embedded-broker")
public record EmbeddedBrokerProperties(
        @DefaultValue("data/activemq") Path dataDirectory,
        @DefaultValue("tcp://0.0.0.0:61616") String connector,
        @DefaultValue("16MB") DataSize memoryLimit,
        @DefaultValue("10GB") DataSize storeLimit,
        @DefaultValue("1GB") DataSize tempLimit,
        @DefaultValue(EmbeddedBrokerProperties.DEFAULT_USERNAME) String username,
        String password,
        @DefaultValue("esb") String consumerUsername,
        String consumerPassword,
        List<String> consumerQueues) {

    static final String USERNAME = "numbers-router.embedded-broker.username";
    static final String PASSWORD = "numbers-router.embedded-broker.password";
    static final String DEFAULT_USERNAME = "numbers-router";

    /** Never the passwords: a record would print them wherever this is logged or shown. */
    @Override
    public String toString() {
        return "EmbeddedBrokerProperties[dataDirectory=" + dataDirectory + ", connector=" + connector
                + ", memoryLimit=" + memoryLimit + ", storeLimit=" + storeLimit + ", tempLimit=" + tempLimit
                + ", username=" + username + ", password=****, consumerUsername=" + consumerUsername
                + ", consumerPassword=****, consumerQueues=" + consumerQueues + "]";
    }
}
