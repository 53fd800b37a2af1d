package com.numbersrouter.portout;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The port-out rules in force: defaults, and per-account overrides keyed by the account number on file (for
 * example an account whose subscribers never had a PIN, or a business account whose name must match).
 */
public record PortOutRuleSet(PortOutProperties defaults, Map<String, PortOutProperties> accounts) {

    public PortOutRuleSet {
        Objects.requireNonNull(defaults, "defaults");
        accounts = Map.copyOf(accounts);
    }

    public static PortOutRuleSet of(PortOutProperties defaults) {
        return new PortOutRuleSet(defaults, Map.of());
    }

    /**
     * One line for the log: the defaults' checks and how many accounts have rules of their own (the account numbers
     * themselves stay out of the log: a port-out is checked against them).
     */
    public String summary() {
        // grouped by what they check, without naming the accounts: a weakened one still shows
        Map<String, Long> overrides = new TreeMap<>(accounts.values().stream()
                .collect(Collectors.groupingBy(PortOutProperties::summary, Collectors.counting())));
        StringBuilder line = new StringBuilder("by default ").append(defaults.summary()).append("; ")
                .append(accounts.size()).append(" account(s) with rules of their own");
        overrides.forEach((rules, count) -> line.append("; ").append(count).append(" with ").append(rules));
        return line.toString();
    }

    /** @param accountNumber the account number on file for a requested number */
    public PortOutProperties forAccount(String accountNumber) {
        return accountNumber == null ? defaults : accounts.getOrDefault(accountNumber.strip(), defaults);
    }
}
