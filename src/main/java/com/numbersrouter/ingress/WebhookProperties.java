package com.numbersrouter.ingress;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The webhook endpoint's security settings.
 *
 * @param realm        realm named in the {@code WWW-Authenticate} challenge
 * @param credentials  accepted Basic credential pairs by a name of the operator's choosing, one per Bandwidth
 *                     subscription; {@code primary} is bound to {@code WEBHOOK_USERNAME}/{@code WEBHOOK_PASSWORD}
 *                     and pairs set elsewhere are added to it. Incomplete pairs are ignored (a half pair with a
 *                     warning); with none left, a random password is generated at start-up and logged once.
 * @param maxBodySize  largest request body accepted; larger ones get 413 before Camel reads them (a port-out: 200,
 *                     Portable=false, 7598)
 * @param bodyMemory   bytes of request bodies held in memory at once, node-wide, beyond each body's first 16 KB and
 *                     taken as the bytes arrive: bodies are read before their credentials are checked, so without this
 *                     bound a few hundred unauthenticated uploads of {@code maxBodySize} would fill the heap. Beyond it:
 *                     503 + Retry-After (a port-out: the fail mode's answer). At least {@code maxBodySize}.
 * @param bodyReadTimeout the longest a request body may take to arrive, whole: a client that dribbles it (a byte
 *                     every few seconds never trips {@code server.tomcat.connection-timeout}, which bounds each read)
 *                     gets 408 after this
 * @param maxInFlight  webhooks processed at once (beyond: 503 + Retry-After); far above realistic Bandwidth bursts
 * @param reservedForPortOut in-flight capacity kept for {@code /webhooks/bandwidth/portout-validation} alone
 */
@ConfigurationProperties("numbers-router.webhook")
public record WebhookProperties(
        @DefaultValue("numbers-router") String realm,
        // A map, not a list: Spring Boot merges map entries across property sources but replaces a list whole, so
        // pairs added in config/application.yaml used to drop the primary one (its webhooks got 401 and were lost).
        // The old indexed form (credentials[0].username) still binds, as the entry named "0", added like any other.
        Map<String, Credential> credentials,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("16MB") DataSize bodyMemory,
        @DefaultValue("10s") Duration bodyReadTimeout,
        @DefaultValue("200") int maxInFlight,
        @DefaultValue("32") int reservedForPortOut) {

    public WebhookProperties {
        // Keeps the configured order, so start-up warnings come out in the order the operator reads them.
        credentials = credentials == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
        if (bodyMemory.toBytes() < maxBodySize.toBytes()) {
            throw new IllegalArgumentException("numbers-router.webhook.body-memory (" + bodyMemory
                    + ") must be at least numbers-router.webhook.max-body-size (" + maxBodySize
                    + "), or a body of the largest size could never be read");
        }
        if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
            throw new IllegalArgumentException("numbers-router.webhook.body-read-timeout must be positive");
        }
    }

    public record Credential(String username, String password) {

        boolean isComplete() {
            return hasUsername() && hasPassword();
        }

        boolean hasUsername() {
            return username != null && !username.isBlank();
        }

        boolean hasPassword() {
            return password != null && !password.isBlank();
        }

        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=****]";
        }
    }
}
