package com.numbersrouter.portout;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One spelling per number, so that a request and the subscriber file can disagree on format and still match.
 * NANP numbers become their 10 digits ({@code 9195550188}), whether written {@code 9195550188},
 * {@code 19195550188} or {@code +1 (919) 555-0188}; other countries keep E.164 ({@code +442071838750}).
 */
public final class TelephoneNumbers {

    private static final Pattern LAYOUT = Pattern.compile("[\\s\\-.()]");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** E.164 allows at most 15 digits; below 7 nothing is a diallable international number. */
    private static final int MIN_E164_DIGITS = 7;
    private static final int MAX_E164_DIGITS = 15;

    private TelephoneNumbers() {
    }

    /** The canonical form, or empty when the text is not a telephone number at all. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String compact = LAYOUT.matcher(raw.strip()).replaceAll("");
        boolean international = compact.startsWith("+");
        String digits = international ? compact.substring(1) : compact;
        if (!DIGITS.matcher(digits).matches()) {
            return Optional.empty();
        }
        if (digits.length() == 11 && digits.charAt(0) == '1') {
            return Optional.of(digits.substring(1));
        }
        if (international) {
            boolean plausible = digits.charAt(0) != '0' && digits.charAt(0) != '1'
                    && digits.length() >= MIN_E164_DIGITS && digits.length() <= MAX_E164_DIGITS;
            return plausible ? Optional.of("+" + digits) : Optional.empty();
        }
        return digits.length() == 10 ? Optional.of(digits) : Optional.empty();
    }
}
