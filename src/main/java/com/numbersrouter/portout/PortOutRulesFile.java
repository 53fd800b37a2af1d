package com.numbersrouter.portout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code config/portout-rules.yaml}: which port-out checks apply, editable on a running node. Keys are the
 * {@code numbers-router.portout.*} rule names; the file wins for the keys it sets, the application properties give
 * the rest. Unknown keys are refused (a typo must not silently switch a check off).
 */
public final class PortOutRulesFile {

    static final Set<String> RULES = Set.of("require-account-number", "require-pin", "require-zip-code",
            "check-subscriber-name", "max-telephone-numbers");

    private PortOutRulesFile() {
    }

    /** @throws IllegalArgumentException naming the file and the problem when the file is not a valid rule set */
    public static PortOutProperties load(Path file, PortOutProperties base) {
        if (!Files.exists(file)) {
            return base;
        }
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read", e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (parsed == null) {
            return base;
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": expected 'rule: value' lines");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("subscribers-file", base.subscribersFile().toString());
        values.put("require-account-number", base.requireAccountNumber());
        values.put("require-pin", base.requirePin());
        values.put("require-zip-code", base.requireZipCode());
        values.put("check-subscriber-name", base.checkSubscriberName());
        values.put("max-telephone-numbers", base.maxTelephoneNumbers());
        for (Map.Entry<?, ?> rule : map.entrySet()) {
            String key = String.valueOf(rule.getKey());
            if (!RULES.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown rule '" + key + "' (known: " + String.join(", ", RULES.stream().sorted().toList()) + ")");
            }
            if (rule.getValue() instanceof Map || rule.getValue() instanceof Iterable) {
                throw new IllegalArgumentException(file + ": rule '" + key + "' needs a single value");
            }
            values.put(key, rule.getValue());
        }
        try {
            return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("", PortOutProperties.class);
        } catch (BindException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String rule = e.getProperty() != null ? e.getProperty().getName() + ": " : "";
            throw new IllegalArgumentException(file + ": " + rule + firstLine(root.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
