package com.numbersrouter.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' login on the management port: what {@code /actuator/deadletters}, {@code /actuator/portoutdecisions},
 * {@code /actuator/camelroutes} and the health details ask for. Health status, probes, {@code info} and
 * {@code prometheus} stay open to orchestrators and scrapers.
 *
 * @param username the operators' username ({@code MANAGEMENT_USERNAME})
 * @param password their password ({@code MANAGEMENT_PASSWORD}); blank: a random one is generated at start-up and
 *                 logged once, as for the webhooks' credentials
 */
@ConfigurationProperties("numbers-router.management")
public record ManagementLoginProperties(@DefaultValue("operator") String username, String password) {

    public ManagementLoginProperties {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("numbers-router.management.username (MANAGEMENT_USERNAME) must not be"
                    + " blank: it is the operators' login on the management port");
        }
        if (username.contains(":")) {
            // Basic authentication cannot carry it: the first colon ends the username.
            throw new IllegalArgumentException("numbers-router.management.username (MANAGEMENT_USERNAME) must not"
                    + " contain ':'");
        }
    }

    boolean hasPassword() {
        return password != null && !password.isBlank();
    }

    /** Never the password: a record would print it wherever this is logged or shown. */
    @Override
    public String toString() {
        return "ManagementLoginProperties[username=" + username + ", password=****]";
    }
}
