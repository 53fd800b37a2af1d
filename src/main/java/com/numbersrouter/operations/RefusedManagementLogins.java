package com.numbersrouter.operations;

import java.time.Duration;

import com.numbersrouter.infra.ThrottledWarning;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Logins the management port refused: counted ({@code numbers_router_management_logins_refused_total}, for an alert
 * on someone guessing) and logged at most once a minute with the latest one's address. The presented username is
 * never logged: it is sometimes a password typed into the wrong field.
 */
public final class RefusedManagementLogins {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedManagementLogins.class);

    private final Counter refused;
    private final ThrottledWarning warning = new ThrottledWarning(Duration.ofMinutes(1));

    public RefusedManagementLogins(MeterRegistry meters) {
        this.refused = Counter.builder("numbers.router.management.logins.refused")
                .description("Logins refused on the management port (wrong username or password)")
                .register(meters);
    }

    @EventListener
    public void refused(AbstractAuthenticationFailureEvent event) {
        refused.increment();
        String from = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : "an unknown address";
        warning.seen(false, (count, ignored) -> LOG.warn("{} login(s) refused on the management port since the last"
                + " warning, the latest from {}. Check scripts against MANAGEMENT_USERNAME/MANAGEMENT_PASSWORD, or"
                + " who else reaches the port", count, from));
    }
}
