package com.numbersrouter.infra;

import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ActiveMQ's own username/password check on every connection to the in-process broker, over TCP and VM alike.
 * Without it, anyone who reaches the OpenWire port could take the orders before the ESB sees them, inject forged
 * notifications past the webhook's Basic auth, or drain the dead-letter queues. Authentication only: the one user may
 * do everything, as the node and an ESB must.
 */
final class EmbeddedBrokerAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerAuthentication.class);

    private EmbeddedBrokerAuthentication() {
    }

    /** @param generated the password is {@link ZeroConfigDefaults}' generated one, not the operator's */
    static BrokerPlugin plugin(EmbeddedBrokerProperties properties, boolean generated) {
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
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(
                List.of(new AuthenticationUser(properties.username(), properties.password(), "users")));
        authentication.setAnonymousAccessAllowed(false);
        return authentication;
    }
}
