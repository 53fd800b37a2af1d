package com.numbersrouter.portout.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.numbersrouter.portout.PortOutDecision;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/portoutdecisions} on the management port: the port-out decisions in the audit journal, newest
 * first, e.g. to answer "why was WIN-20250304-0049 refused?" or "what was decided for 919-555-0188 this week?".
 * <ul>
 * <li>{@code pon}: exact PON;</li>
 * <li>{@code number}: a telephone number in any spelling (10-digit, 1+10, +1..., E.164; in a URL write {@code +}
 * as {@code %2B});</li>
 * <li>{@code since}: an instant ({@code 2025-03-04T10:00:00Z}), a UTC day ({@code 2025-03-04}) or a period back
 * from now ({@code 24h}, {@code 7d});</li>
 * <li>{@code until}: only decisions at or before it, written like {@code since} (a day: to its end): to page back past a limit, the
 * oldest {@code decidedAt} of the page (it comes again, first on the next page);</li>
 * <li>{@code limit}: at most this many, 100 unless given, 1000 at most.</li>
 * </ul>
 */
@Endpoint(id = "portoutdecisions")
public class PortOutDecisionEndpoint {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final PortOutDecisionJournal journal;
    private final Clock clock;

    public PortOutDecisionEndpoint(PortOutDecisionJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    @ReadOperation
    public Map<String, Object> decisions(@Nullable String pon, @Nullable String number, @Nullable String since,
            @Nullable String until, @Nullable Integer limit) {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidEndpointRequestException("limit must be between 1 and " + MAX_LIMIT, "bad limit");
        }
        List<PortOutDecision> decisions;
        try {
            decisions = journal.find(pon, plusRestored(number), parseInstant("since", since),
                    parseInstant("until", until), max);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad query");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", decisions.size());
        result.put("limit", max);
        result.put("decisions", decisions);
        return result;
    }

    /**
     * An unencoded {@code +} in a query string arrives as a space ({@code ?number=+442071838750}); an E.164 number
     * cannot start with a space, so that one is read back as the plus it was.
     */
    private static String plusRestored(String number) {
        if (number != null && number.startsWith(" ") && !number.isBlank()) {
            return "+" + number.strip();
        }
        return number;
    }

    private Instant parseInstant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            // a day or a period, below
        }
        try {
            LocalDate day = LocalDate.parse(text);
            // until a day: to its end, that day included
            return "until".equals(name) ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1)
                    : day.atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADay) {
            // a period, below
        }
        try {
            return clock.instant().minus(DurationStyle.detectAndParse(text));
        } catch (IllegalArgumentException notAPeriod) {
            throw new IllegalArgumentException(name
                    + " must be an instant (2025-03-04T10:00:00Z), a day (2025-03-04) or a period (24h, 7d)");
        }
    }
}
