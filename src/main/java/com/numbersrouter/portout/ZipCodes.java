package com.numbersrouter.portout;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ZIP comparison. By default the +4 extension is ignored, since carriers send it inconsistently; with
 * {@code zip-plus-4} it must also agree whenever both sides have one.
 */
final class ZipCodes {

    private static final Pattern US_ZIP = Pattern.compile("(\\d{5})(?:[-\\s]?(\\d{4}))?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SHORT_NUMERIC = Pattern.compile("\\d{1,4}");

    private ZipCodes() {
    }

    /**
     * Whether a North American number's ZIP on file lost its leading zeros: a US ZIP or Canadian postcode never has
     * fewer than 5 characters, but 02134 kept as a number (a spreadsheet cell, an integer column) is 2134, and every
     * port-out of that subscriber would be denied with 7515. E.164 numbers with another country code are not judged.
     */
    static boolean lostLeadingZeros(String telephoneNumber, String zipOnFile) {
        return !telephoneNumber.startsWith("+") && SHORT_NUMERIC.matcher(zipOnFile.strip()).matches();
    }

    static boolean sameArea(String requested, String onFile) {
        return normalize(requested).equals(normalize(onFile));
    }

    static boolean same(String requested, String onFile, PortOutProperties.ZipCodeMatch match) {
        if (!sameArea(requested, onFile)) {
            return false;
        }
        if (match == PortOutProperties.ZipCodeMatch.FIVE_DIGIT) {
            return true;
        }
        String requestedPlus4 = plus4(requested);
        String onFilePlus4 = plus4(onFile);
        return requestedPlus4 == null || onFilePlus4 == null || requestedPlus4.equals(onFilePlus4);
    }

    /** The +4 of a US ZIP+4, or null when there is none. */
    private static String plus4(String zip) {
        var us = US_ZIP.matcher(zip.strip());
        return us.matches() && us.group(2) != null ? us.group(2) : null;
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
