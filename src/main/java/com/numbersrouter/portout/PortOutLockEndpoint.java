package com.numbersrouter.portout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/portoutlocks} on the management port, behind the operators' login: the port-out locks in force
 * (numbers, and how many accounts on file), and lifting them once an operator has verified the subscriber. Without it
 * a locked number or account waits out {@code numbers-router.portout.lockout.duration}, or a restart.
 *
 * <ul>
 * <li>{@code GET}: the locked numbers with their codes and end, and the number of locked accounts (their account
 * numbers are what a port-out is checked against: not shown);</li>
 * <li>{@code DELETE /actuator/portoutlocks/{number}}: lifts that number's lock and its account's, in any spelling
 * ({@code +} as {@code %2B});</li>
 * <li>{@code DELETE /actuator/portoutlocks}: lifts every lock, and forgets every remembered answer.</li>
 * </ul>
 * Each lift is logged at INFO with the operator's login: lifting a lock is a step of a port-out fraud (a subscriber
 * talked into it, or an impostor), and an investigator asks who did it and when.
 */
@Endpoint(id = "portoutlocks")
public class PortOutLockEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(PortOutLockEndpoint.class);

    private final PortOutGatekeeper gatekeeper;

    public PortOutLockEndpoint(PortOutGatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    @ReadOperation
    public Map<String, Object> locks() {
        List<PortOutLockout.Lock> locks = gatekeeper.locks();
        List<Map<String, Object>> numbers = locks.stream().filter(lock -> !PortOutLockout.isAccountKey(lock.key()))
                .map(lock -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("number", lock.key());
                    entry.put("until", lock.until().toString());
                    entry.put("codes", lock.codes().stream().map(PortOutErrorCode::code).sorted().toList());
                    return entry;
                }).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("numbers", numbers);
        result.put("accounts", locks.stream().filter(lock -> PortOutLockout.isAccountKey(lock.key())).count());
        return result;
    }

    @DeleteOperation
    public Map<String, Object> lift(@Selector String number, SecurityContext operator) {
        String normalised = TelephoneNumbers.normalize(number).orElseThrow(() -> new InvalidEndpointRequestException(
                "not a telephone number: give it as 10 digits or in E.164 (+ as %2B)", "bad number"));
        int lifted = gatekeeper.lift(normalised);
        // the whole number: an investigator searches the log for it (numbers are not secret; account numbers are)
        LOG.info("Port-out lock of {} lifted by {}: {} lock(s) or count(s) of wrong guesses, the number's and its"
                + " account's", normalised, who(operator), lifted);
        return Map.of("number", normalised, "lifted", lifted);
    }

    @DeleteOperation
    public Map<String, Object> liftAll(SecurityContext operator) {
        int locks = gatekeeper.locks().size();
        gatekeeper.reset();
        LOG.info("Every port-out lock ({}) and remembered answer lifted by {}", locks, who(operator));
        return Map.of("lifted", locks);
    }

    private static String who(SecurityContext operator) {
        return operator == null || operator.getPrincipal() == null ? "an unknown user"
                : operator.getPrincipal().getName();
    }
}
