package com.numbersrouter.portout;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loose name comparison: the winning carrier retypes the name from a bill, so "ACME PLUMBING, L.L.C." must match
 * "Acme Plumbing LLC" and "Acme Plumbing".
 */
final class SubscriberNames {

    /** Removed outright, so that "L.L.C." becomes "llc" and "O'Brien" stays one word. */
    private static final Pattern JOINING_PUNCTUATION = Pattern.compile("[.'’]");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> COMPANY_SUFFIXES =
            Set.of("llc", "inc", "incorporated", "ltd", "limited", "corp", "corporation");

    private SubscriberNames() {
    }

    static boolean same(String requested, String onFile) {
        return normalize(requested).equals(normalize(onFile));
    }

    /** {@code exact}: the same text once surrounding blanks are trimmed, case included. */
    static boolean same(String requested, String onFile, PortOutProperties.NameMatch match) {
        return match == PortOutProperties.NameMatch.EXACT ? requested.strip().equals(onFile.strip())
                : same(requested, onFile);
    }

    static String normalize(String name) {
        String text = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        text = JOINING_PUNCTUATION.matcher(text).replaceAll("");
        text = SEPARATORS.matcher(text).replaceAll(" ").strip();
        int lastSpace = text.lastIndexOf(' ');
        if (lastSpace > 0 && COMPANY_SUFFIXES.contains(text.substring(lastSpace + 1))) {
            text = text.substring(0, lastSpace);
        }
        return text;
    }
}
