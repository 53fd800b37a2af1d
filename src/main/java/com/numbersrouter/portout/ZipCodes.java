package com.numbersrouter.portout;

import java.util.Locale;
import java.util.regex.Pattern;

/** ZIP comparison that ignores the +4 extension, since carriers send it inconsistently. */
final class ZipCodes {

    private static final Pattern US_ZIP = Pattern.compile("(\\d{5})(?:[-\\s]?\\d{4})?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ZipCodes() {
    }

    static boolean sameArea(String requested, String onFile) {
        return normalize(requested).equals(normalize(onFile));
    }

    /** US ZIPs to their 5 digits; other postcodes (e.g. UK "SW1A 2AA") compared case- and space-insensitively. */
    static String normalize(String zip) {
        String stripped = zip.strip();
        var us = US_ZIP.matcher(stripped);
        if (us.matches()) {
            return us.group(1);
        }
        return WHITESPACE.matcher(stripped).replaceAll("").toUpperCase(Locale.ROOT);
    }
}
