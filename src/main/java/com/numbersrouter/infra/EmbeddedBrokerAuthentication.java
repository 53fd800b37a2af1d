package com.numbersrouter.infra;

import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.AuthorizationPlugin;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.activemq.security.TempDestinationAuthorizationEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ActiveMQ's own username/password check on every connection to the in-process broker, over TCP and VM alike.
 * Without it, anyone who reaches the OpenWire port could take the orders before the ESB sees them, inject forged
 * notifications past the webhook's Basic auth, or drain the dead-letter queues. The node's user may do everything.
 * With a consumer password set, an ESB gets a user of its own that may only read the node's outputs (orders, port-out
 * decisions): it can neither take the alert mailer's events nor send a forged order.
 */
final class EmbeddedBrokerAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerAuthentication.class);

    private EmbeddedBrokerAuthentication() {
    }

    private static final String NODE_GROUP = "node";
    private static final String CONSUMER_GROUP = "consumers";

    /** @param generated the password is {@link ZeroConfigDefaults}' generated one, not the operator's */
    static BrokerPlugin[] plugins(EmbeddedBrokerProperties properties, boolean generated) {
        // A blank value would be an unset variable more often than a choice, and would leave the broker all but open.
        if (properties.username() == null || properties.username().isBlank()) {
            throw new IllegalStateException(EmbeddedBrokerProperties.USERNAME + " is blank: set a username, or leave "
                    + "it unset for '" + EmbeddedBrokerProperties.DEFAULT_USERNAME + "'");
        }
        if (properties.password() == null || properties.password().isBlank()) {
            throw new IllegalStateException(EmbeddedBrokerProperties.PASSWORD + " is blank: set a password, or leave "
                    + "it unset to have one generated");
        }
        if (generated) {
            // Same as the webhook's generated credentials: a newcomer can connect, nobody else can. A configured
            // password is never logged.
            LOG.warn("""

                    Using generated in-process broker credentials: username '{}', password '{}'
                    This is for development only. Set NUMBERS_ROUTER_EMBEDDED_BROKER_PASSWORD (or \
                    numbers-router.embedded-broker.password) to choose it; an ESB or the activemq CLI connecting to \
                    the broker's OpenWire port must present it.
                    """, properties.username(), properties.password());
        }
        List<AuthenticationUser> users = new ArrayList<>();
        users.add(new AuthenticationUser(properties.username(), properties.password(), NODE_GROUP));
        String consumer = properties.consumerPassword();
        if (consumer != null && !consumer.isBlank()) {
            if (properties.consumerUsername() == null || properties.consumerUsername().isBlank()
                    || properties.consumerUsername().equals(properties.username())) {
                throw new IllegalStateException("numbers-router.embedded-broker.consumer-username must be set and differ"
                        + " from numbers-router.embedded-broker.username");
            }
            users.add(new AuthenticationUser(properties.consumerUsername(), consumer, CONSUMER_GROUP));
        }
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(users);
        authentication.setAnonymousAccessAllowed(false);
        if (users.size() == 1) {
            return new BrokerPlugin[] {authentication};
        }
        List<String> readable = properties.consumerQueues() == null ? List.of() : properties.consumerQueues();
        return new BrokerPlugin[] {authentication, new AuthorizationPlugin(authorization(readable))};
    }

    /**
     * The node: everything. The consumer: read its queues (and create them, should it connect first), and the
     * advisory topics the ActiveMQ client watches. An entry's rights add up with every other entry that matches.
     */
    private static DefaultAuthorizationMap authorization(List<String> consumerQueues) {
        List<DestinationMapEntry> entries = new ArrayList<>();
        entries.add(entry(new ActiveMQQueue(">"), NODE_GROUP, NODE_GROUP, NODE_GROUP));
        entries.add(entry(new ActiveMQTopic(">"), NODE_GROUP, NODE_GROUP, NODE_GROUP));
        String both = NODE_GROUP + "," + CONSUMER_GROUP;
        entries.add(entry(new ActiveMQTopic("ActiveMQ.Advisory.>"), both, both, both));
        for (String queue : consumerQueues) {
            entries.add(entry(new ActiveMQQueue(queue), both, NODE_GROUP, both));
        }
        DefaultAuthorizationMap map = new DefaultAuthorizationMap(entries);
        TempDestinationAuthorizationEntry temporary = new TempDestinationAuthorizationEntry();
        try {
            temporary.setRead(both);
            temporary.setWrite(both);
            temporary.setAdmin(both);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        map.setTempDestinationAuthorizationEntry(temporary);
        return map;
    }

    private static AuthorizationEntry entry(ActiveMQDestination destination, String read, String write, String admin) {
        AuthorizationEntry entry = new AuthorizationEntry();
        entry.setDestination(destination);
        try {
            entry.setRead(read);
            entry.setWrite(write);
            entry.setAdmin(admin);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return entry;
    }
}
