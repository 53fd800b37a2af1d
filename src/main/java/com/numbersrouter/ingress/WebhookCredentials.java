package com.numbersrouter.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.numbersrouter.infra.GeneratedPasswords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Basic credential pairs Bandwidth may present. Checks run in constant time: every configured pair is
 * compared, always, through fixed-length digests, so neither timing nor length tells a prober anything.
 */
public class WebhookCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookCredentials.class);
    static final String GENERATED_USERNAME = "bandwidth";
    /** The pair application.yaml binds to WEBHOOK_USERNAME / WEBHOOK_PASSWORD. */
    static final String PRIMARY = "primary";

    private final List<byte[]> acceptedDigests;
    private final List<Username> usernames;

    /** A configured username as the start of a {@code user:password}: its length with the colon, and its digest. */
    private record Username(int length, byte[] digest) {

        static Username of(String username) {
            String prefix = username + ":";
            return new Username(prefix.length(), WebhookCredentials.digest(prefix));
        }
    }

    WebhookCredentials(List<byte[]> acceptedDigests, List<Username> usernames) {
        this.acceptedDigests = List.copyOf(acceptedDigests);
        this.usernames = List.copyOf(usernames);
    }

    /**
     * @param mayGenerate whether a node with no pair may make one up and log it (zero-config); in production
     *                    ({@code numbers-router.zero-config=false}) it stops instead: a generated password would sit
     *                    in the log and change at every start, and no Bandwidth subscription would know it
     */
    public static WebhookCredentials from(WebhookProperties properties, boolean mayGenerate) {
        warnAboutIgnoredVariables(System.getenv());
        properties.credentials().forEach(WebhookCredentials::warnIfHalfSet);
        List<WebhookProperties.Credential> complete = properties.credentials().values().stream()
                .filter(WebhookProperties.Credential::isComplete)
                .toList();
        if (complete.isEmpty() && properties.credentials().values().stream().anyMatch(WebhookCredentials::isHalfSet)) {
            // Generated credentials would start a healthy-looking node that answers 401 to every real webhook (each
            // lost: Bandwidth sends an order or event once). Someone meant to configure it: say so now.
            throw new IllegalStateException("Webhook credentials are set by halves only (see the warning above), and"
                    + " no pair is complete: every Bandwidth webhook would get 401. Set both WEBHOOK_USERNAME and"
                    + " WEBHOOK_PASSWORD (or both halves of numbers-router.webhook.credentials.<name>)"
                    + (mayGenerate ? ", or neither for generated development credentials." : "."));
        }
        if (complete.isEmpty() && !mayGenerate) {
            throw new IllegalStateException("numbers-router.zero-config=false, and no webhook credentials are set: set"
                    + " WEBHOOK_USERNAME and WEBHOOK_PASSWORD (or numbers-router.webhook.credentials.<name>) to those of"
                    + " your Bandwidth subscription. A generated password would be written to the log and change at"
                    + " every start.");
        }
        if (complete.isEmpty()) {
            // Never leave a newcomer with an open endpoint: same behaviour as Spring Security's generated password.
            String password = GeneratedPasswords.generate();
            LOG.warn("""

                    Using generated webhook credentials: username '{}', password '{}'
                    This is for development only. Set WEBHOOK_USERNAME and WEBHOOK_PASSWORD (or \
                    numbers-router.webhook.credentials.<name>) to the credentials of your Bandwidth subscription.
                    """, GENERATED_USERNAME, password);
            complete = List.of(new WebhookProperties.Credential(GENERATED_USERNAME, password));
        }
        return new WebhookCredentials(complete.stream()
                .map(c -> digest(c.username() + ":" + c.password()))
                .toList(), complete.stream().map(c -> Username.of(c.username())).toList());
    }

    /**
     * A pair with one half missing is most likely a typo or an unset variable: without this warning its subscription's
     * webhooks would get 401 and be lost with nothing in the log saying why. The password itself is never logged.
     * Both halves blank is the shipped "not set" (e.g. no {@code WEBHOOK_USERNAME}/{@code WEBHOOK_PASSWORD}): silent.
     */
    /**
     * NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_&lt;NAME&gt;_* looks like every other setting's variable, but Spring Boot
     * cannot tell where the map key starts in it, and binds nothing: that subscription's webhooks would get 401 with
     * nothing in the log. The variable's value is never logged.
     */
    static void warnAboutIgnoredVariables(Map<String, String> environment) {
        environment.keySet().stream().filter(name -> name.startsWith("NUMBERS_ROUTER_WEBHOOK_CREDENTIALS_")).sorted()
                .forEach(name -> LOG.warn("Environment variable {} is not read: webhook credential pairs given as"
                        + " environment variables are NUMBERSROUTER_WEBHOOK_CREDENTIALS_<NAME>_USERNAME/_PASSWORD (no _"
                        + " inside NUMBERSROUTER), or WEBHOOK_USERNAME/WEBHOOK_PASSWORD for the first", name));
    }

    private static boolean isHalfSet(WebhookProperties.Credential credential) {
        return credential.hasUsername() != credential.hasPassword();
    }

    private static void warnIfHalfSet(String name, WebhookProperties.Credential credential) {
        if (isHalfSet(credential)) {
            String missing = credential.hasUsername() ? "password" : "username";
            // the primary pair is set through the environment: name the variable an operator actually sets
            String setting = PRIMARY.equals(name) ? "WEBHOOK_" + missing.toUpperCase(Locale.ROOT)
                    : "numbers-router.webhook.credentials." + name + "." + missing;
            LOG.warn("Webhook credentials '{}' have no {}: ignored, so that subscription's webhooks get 401. "
                    + "Set {} or remove the entry.", name, missing, setting);
        }
    }

    private static final String BASIC = "basic ";

    /** The decoded {@code user:password} of an {@code Authorization: Basic} header; empty for any other header. */
    public static String userPassOf(String authorization) {
        if (authorization == null || authorization.length() <= BASIC.length()
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return "";
        }
        try {
            return new String(java.util.Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return "";
        }
    }

    /** Whether an {@code Authorization} header (or null) carries accepted credentials. */
    public boolean acceptsHeader(String authorization) {
        return accepts(userPassOf(authorization));
    }

    /** @param userPass the decoded {@code user:password} of an {@code Authorization: Basic} header */
    public boolean accepts(String userPass) {
        byte[] candidate = digest(userPass);
        boolean match = false;
        for (byte[] accepted : acceptedDigests) {
            // No early exit: the time taken must not depend on which pair (if any) matched.
            match |= MessageDigest.isEqual(accepted, candidate);
        }
        return match;
    }

    /**
     * Whether a refused {@code user:password} named a configured username: then a subscription's password no longer
     * matches (its webhooks are being lost), where an unknown username is more likely a stranger. Only counted and
     * logged, never answered differently; compared in constant time like {@link #accepts}.
     */
    public boolean knowsUsername(String userPass) {
        boolean match = false;
        // Each configured username is compared with the same number of leading characters plus the colon, so one
        // that itself holds a colon is known too (Bandwidth joins username and password with the first one).
        for (Username username : usernames) {
            String candidate = userPass.substring(0, Math.min(userPass.length(), username.length()));
            match |= MessageDigest.isEqual(username.digest(), digest(candidate));
        }
        return match;
    }

    private static byte[] digest(String userPass) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(userPass.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
