package com.numbersrouter.portout;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stored {@code pin_hash} may be, whichever source it comes from: a {@code DelegatingPasswordEncoder} hash the
 * validator can check. Anything else is refused rather than compared, above all a clear-text PIN: comparing one
 * would make the PIN check work and hide that PINs are stored in clear.
 *
 * <p>Problems name the column and the encoding, never the value.
 */
final class PinHashFormat {

    /** Only ids whose encoders need nothing beyond spring-security-crypto; argon2/scrypt would need BouncyCastle. */
    private static final Set<String> SUPPORTED_HASH_IDS = Set.of("bcrypt", "pbkdf2", "pbkdf2@SpringSecurity_v5_8");
    private static final Pattern DELEGATING_HASH = Pattern.compile("\\{([^{}]+)}(.+)");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

    private PinHashFormat() {
    }

    /**
     * @param pinHash a non-empty stored value (empty means "no PIN on file" and is the caller's to handle)
     * @return why it cannot be used, or empty when it is a supported, well-formed hash
     */
    static Optional<String> problem(String pinHash) {
        Matcher m = DELEGATING_HASH.matcher(pinHash);
        if (!m.matches()) {
            return Optional.of("pin_hash has no {id} prefix, so it looks like a clear-text PIN; store a hash such as "
                    + "{bcrypt}$2a$10$..., never the PIN itself");
        }
        String id = m.group(1);
        String hash = m.group(2);
        if (!SUPPORTED_HASH_IDS.contains(id)) {
            return Optional.of("pin_hash uses an unsupported encoding; use one of {bcrypt}, {pbkdf2}, "
                    + "{pbkdf2@SpringSecurity_v5_8}");
        }
        boolean wellFormed = id.equals("bcrypt") ? BCRYPT.matcher(hash).matches() : HEX.matcher(hash).matches();
        return wellFormed ? Optional.empty() : Optional.of("pin_hash is not a well-formed {" + id + "} hash");
    }
}
