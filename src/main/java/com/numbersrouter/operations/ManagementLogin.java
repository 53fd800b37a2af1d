package com.numbersrouter.operations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import com.numbersrouter.infra.GeneratedPasswords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Checks the operators' login on the management port, in constant time like the webhooks' credentials: the
 * presented {@code username:password} is compared through a fixed-length digest, so neither timing nor length tells a
 * prober anything. (Spring Security's default for a plain configured password compares it with
 * {@code String.equals}, which returns at the first differing character.)
 */
public final class ManagementLogin implements AuthenticationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementLogin.class);
    static final String ROLE = "ROLE_OPERATOR";

    private final String username;
    private final byte[] expected;

    private ManagementLogin(String username, String password) {
        this.username = username;
        this.expected = digest(username + ":" + password);
    }

    /**
     * @param mayGenerate whether a node with no password may make one up and log it (zero-config); in production
     *                    ({@code numbers-router.zero-config=false}) it stops instead: the generated password would sit
     *                    in the log, where whoever reads it could read the port-out audit and replay dead letters
     */
    public static ManagementLogin from(ManagementLoginProperties properties, boolean mayGenerate) {
        if (properties.hasPassword()) {
            return new ManagementLogin(properties.username(), properties.password());
        }
        if (!mayGenerate) {
            throw new IllegalStateException("numbers-router.zero-config=false, and MANAGEMENT_PASSWORD"
                    + " (numbers-router.management.password) is not set: set the operators' password. A generated one"
                    + " would be written to the log and change at every start.");
        }
        // Never an open management port, also for a newcomer: the same behaviour as the webhooks' credentials.
        String password = GeneratedPasswords.generate();
        LOG.warn("""

                Using generated management credentials: username '{}', password '{}'
                They open the dead-letter replay, the port-out audit and the health details on the management port. \
                Set MANAGEMENT_PASSWORD (and MANAGEMENT_USERNAME) for a node that keeps its login across restarts.
                """, properties.username(), password);
        return new ManagementLogin(properties.username(), password);
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        Object credentials = presented.getCredentials();
        String candidate = presented.getName() + ":" + (credentials == null ? "" : credentials);
        if (!MessageDigest.isEqual(expected, digest(candidate))) {
            // Spring Security answers 401 with the challenge; which half was wrong is never said.
            throw new BadCredentialsException("Bad credentials");
        }
        return UsernamePasswordAuthenticationToken.authenticated(username, null, List.of(new SimpleGrantedAuthority(ROLE)));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] digest(String userPass) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(userPass.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
