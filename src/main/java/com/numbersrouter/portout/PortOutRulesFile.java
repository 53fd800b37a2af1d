package com.numbersrouter.portout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code config/portout-rules.yaml}: which port-out checks apply, editable on a running node. Keys are the
 * {@code numbers-router.portout.*} rule names; the file wins for the keys it sets, the application properties give
 * the rest. Under {@code accounts:}, an account number on file gets its own values for the per-number rules.
 * Unknown keys are refused (a typo must not silently switch a check off).
 */
public final class PortOutRulesFile {

    /** Rules that apply to each requested number, and so can differ per account. */
    static final Set<String> PER_ACCOUNT_RULES = Set.of("require-account-number", "check-account-number",
            "require-pin", "check-pin", "require-zip-code", "check-zip-code", "zip-code-match",
            "check-subscriber-name", "subscriber-name-match", "check-number-active");
    /** Rules about the request as a whole. */
    static final Set<String> REQUEST_RULES = Set.of("max-telephone-numbers", "acceptable-values");
    static final String ACCOUNTS = "accounts";
    /** AcceptableValues goes to Bandwidth's reviewers: never a secret the losing carrier's customer holds. */
    private static final Set<String> NEVER_ACCEPTABLE = Set.of("pin", "account-number", "account_number",
            "accountnumber");

    private PortOutRulesFile() {
    }

    /** @throws IllegalArgumentException naming the file and the problem when the file is not a valid rule set */
    public static PortOutRuleSet load(Path file, PortOutProperties base) {
        if (!Files.exists(file)) {
            return PortOutRuleSet.of(base);
        }
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read", e);
        } catch (MarkedYAMLException e) {
            // the line and the problem, as for a route file: SnakeYAML's first line alone says only "while parsing"
            String line = e.getProblemMark() != null ? " line " + (e.getProblemMark().getLine() + 1)
                    : e.getContextMark() != null ? " line " + (e.getContextMark().getLine() + 1) : "";
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
            throw new IllegalArgumentException(file + line + ": not valid YAML: " + context + problem, e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (parsed == null) {
            return PortOutRuleSet.of(base);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": expected 'rule: value' lines");
        }
        Map<String, Object> top = new LinkedHashMap<>();
        Object accounts = null;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (ACCOUNTS.equals(key)) {
                accounts = entry.getValue();
            } else {
                top.put(key, entry.getValue());
            }
        }
        PortOutProperties defaults = bind(file, "", base, top, allRules());
        Map<String, PortOutProperties> byAccount = new LinkedHashMap<>();
        if (accounts != null) {
            if (!(accounts instanceof Map<?, ?> accountMap)) {
                throw new IllegalArgumentException(file + ": 'accounts' needs one entry per account number");
            }
            for (Map.Entry<?, ?> account : accountMap.entrySet()) {
                String number = String.valueOf(account.getKey()).strip();
                // an account number is what a port-out is checked against: errors (logged, on the health endpoint)
                // show its last characters only, enough to find the entry in the file
                String shown = "accounts." + lastCharacters(number);
                if (!(account.getValue() instanceof Map<?, ?> rules)) {
                    throw new IllegalArgumentException(file + ": " + shown + " needs 'rule: value' lines");
                }
                Map<String, Object> values = new LinkedHashMap<>();
                rules.forEach((k, v) -> values.put(String.valueOf(k), v));
                byAccount.put(number, bind(file, shown + ".", defaults, values, PER_ACCOUNT_RULES));
            }
        }
        return new PortOutRuleSet(defaults, byAccount);
    }

    /** "…1234": the last four characters of an account number, the rest left out. */
    static String lastCharacters(String accountNumber) {
        return "\u2026" + accountNumber.substring(Math.max(0, accountNumber.length() - 4));
    }

    private static Set<String> allRules() {
        return Stream.concat(PER_ACCOUNT_RULES.stream(), REQUEST_RULES.stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static PortOutProperties bind(Path file, String where, PortOutProperties base,
            Map<String, Object> overrides, Set<String> allowed) {
        Map<String, Object> values = valuesOf(base);
        for (Map.Entry<String, Object> rule : overrides.entrySet()) {
            String key = rule.getKey();
            if (!allowed.contains(key)) {
                String hint = REQUEST_RULES.contains(key) ? " (it applies to the whole request, set it at the top)"
                        : " (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")";
                throw new IllegalArgumentException(file + ": unknown rule '" + where + key + "'" + hint);
            }
            values.put(key, value(file, where + key, rule.getValue()));
        }
        try {
            return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("", PortOutProperties.class);
        } catch (BindException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String rule = e.getProperty() != null ? where + e.getProperty().getName() + ": " : where;
            throw new IllegalArgumentException(file + ": " + rule + firstLine(root.getMessage()), e);
        }
    }

    private static Object value(Path file, String key, Object value) {
        if (key.endsWith("acceptable-values")) {
            List<?> items = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
            for (Object item : items) {
                if (NEVER_ACCEPTABLE.contains(String.valueOf(item).strip().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(file + ": " + key + " may never contain '" + item
                            + "': AcceptableValues must not disclose a PIN or an account number");
                }
            }
            return items.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new IllegalArgumentException(file + ": rule '" + key + "' needs a single value");
        }
        return value;
    }

    private static Map<String, Object> valuesOf(PortOutProperties p) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("subscribers-file", p.subscribersFile().toString());
        values.put("require-account-number", p.requireAccountNumber());
        values.put("check-account-number", p.checkAccountNumber());
        values.put("require-pin", p.requirePin());
        values.put("check-pin", p.checkPin());
        values.put("require-zip-code", p.requireZipCode());
        values.put("check-zip-code", p.checkZipCode());
        values.put("zip-code-match", p.zipCodeMatch().name());
        values.put("check-subscriber-name", p.checkSubscriberName());
        values.put("subscriber-name-match", p.subscriberNameMatch().name());
        values.put("check-number-active", p.checkNumberActive());
        values.put("max-telephone-numbers", p.maxTelephoneNumbers());
        values.put("acceptable-values", p.acceptableValues().stream().map(Enum::name).collect(Collectors.joining(",")));
        return values;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
