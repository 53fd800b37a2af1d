package com.numbersrouter.portout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
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
 */
@Endpoint(id = "portoutlocks")
public class PortOutLockEndpoint {

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
    public Map<String, Object> lift(@Selector String number) {
        String normalised = TelephoneNumbers.normalize(number).orElseThrow(() -> new InvalidEndpointRequestException(
                "not a telephone number: give it as 10 digits or in E.164 (+ as %2B)", "bad number"));
        return Map.of("number", normalised, "lifted", gatekeeper.lift(normalised));
    }

    @DeleteOperation
    public Map<String, Object> liftAll() {
        int locks = gatekeeper.locks().size();
        gatekeeper.reset();
        return Map.of("lifted", locks);
    }
}
