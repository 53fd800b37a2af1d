package com.numbersrouter.portout;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code numbers-router.portout.jdbc.*}: the subscriber directory as a database table, used when
 * {@code numbers-router.portout.subscriber-source=jdbc} (connection from Spring Boot's {@code spring.datasource.*}).
 *
 * @param query        the SQL, with exactly one {@code ?}: the number as {@link TelephoneNumbers#normalize} writes it
 *                     ({@code 9195550188}, {@code +442071838750}). It must return the columns telephone_number,
 *                     account_number, pin_hash, zip_code, subscriber_name and active (aliases allowed); rows whose
 *                     telephone_number is another number are ignored, so a looser {@code WHERE} is fine
 * @param queryTimeout the JDBC statement timeout, so a hung database cannot hold a port-out thread. JDBC counts in
 *                     whole seconds: a fraction is rounded up
 */
@ConfigurationProperties("numbers-router.portout.jdbc")
public record JdbcSubscriberProperties(
        @DefaultValue(DEFAULT_QUERY) String query,
        @DefaultValue("5s") Duration queryTimeout) {

    public static final String DEFAULT_QUERY = "SELECT telephone_number, account_number, pin_hash, zip_code, "
            + "subscriber_name, active FROM portout_subscribers WHERE telephone_number = ?";

    public JdbcSubscriberProperties {
        Objects.requireNonNull(query, "numbers-router.portout.jdbc.query");
        Objects.requireNonNull(queryTimeout, "numbers-router.portout.jdbc.query-timeout");
        int parameters = countParameters(query);
        if (parameters != 1) {
            // checked here, at start-up, rather than on the first port-out (which would be answered 7598)
            throw new IllegalArgumentException("numbers-router.portout.jdbc.query must have exactly one ? (the "
                    + "telephone number); it has " + parameters);
        }
        if (queryTimeout.isZero() || queryTimeout.isNegative()) {
            throw new IllegalArgumentException("numbers-router.portout.jdbc.query-timeout must be positive");
        }
    }

    /** The {@code ?} placeholders JDBC would see: those in quotes or comments are not parameters. */
    static int countParameters(String sql) {
        int count = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? sql.length() : close + 1; // a doubled quote inside is two adjacent quoted parts
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                if (c == '?') {
                    count++;
                }
                i++;
            }
        }
        return count;
    }
}
