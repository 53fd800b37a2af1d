package com.numbersrouter.portout;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bandwidth retries an unanswered port-out validation 8 times, 5 minutes apart. The same request again within the
 * window gets the answer the first one got, without a second evaluation (so it cannot count twice towards a
 * lockout) and without a second audit record.
 *
 * <p>"The same" means every field alike, the PIN included: a carrier's corrected request may keep its PON and
 * numbers, and must then be evaluated afresh. Requests are remembered by an HMAC under a key made at start-up and
 * never stored, so the memory holds nothing from which a PIN could be recovered.
 */
public final class PortOutRepeats {

    /**
     * About 250 bytes of heap each. 20,000 in a 45-minute window is 7 port-out requests a second for all of it, far
     * beyond what Bandwidth sends; under a flood the oldest go first. 100,000 (25 MB) did not fit beside a full
     * duplicate-key cache and the broker's message memory in the 224 MiB heap (README "Against a bare endpoint").
     */
    static final int MAX_REMEMBERED = 20_000;

    private final Cache<String, PortOutValidationResponse> answers;
    private final SecretKeySpec key;
    private final Counter repeats;

    public PortOutRepeats(Duration window, Clock clock, MeterRegistry meters) {
        this.answers = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED)
                .expireAfterWrite(window)
                .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
                .build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.repeats = Counter.builder("numbers.router.portout.repeats")
                .description("Repeated port-out requests answered as the first time").register(meters);
    }

    public Optional<PortOutValidationResponse> answerOf(PortOutValidationRequest request) {
        PortOutValidationResponse previous = answers.getIfPresent(fingerprint(request));
        if (previous != null) {
            repeats.increment();
        }
        return Optional.ofNullable(previous);
    }

    public void remember(PortOutValidationRequest request, PortOutValidationResponse response) {
        answers.put(fingerprint(request), response);
    }

    void clear() {
        answers.invalidateAll();
    }

    private String fingerprint(PortOutValidationRequest request) {
        List<String> numbers = request.getTelephoneNumbers().stream()
                .map(n -> TelephoneNumbers.normalize(n).orElse(n)).sorted().toList();
        // Length-prefixed fields: no two different requests can produce the same text.
        StringBuilder canonical = new StringBuilder();
        for (String field : new String[] {request.getPon(), request.getPin(), request.getAccountNumber(),
                request.getZipCode(), request.getSubscriberName()}) {
            canonical.append(field == null ? "-1:" : field.length() + ":" + field).append('|');
        }
        numbers.forEach(n -> canonical.append(n.length()).append(':').append(n).append('|'));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
