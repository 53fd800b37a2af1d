package com.numbersrouter.portout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * The subscriber directory as a database table, queried per number, so a row changed in the database counts from
 * the next request on. The query and its columns are described on {@link JdbcSubscriberProperties}.
 *
 * <p>Rows are checked as strictly as the CSV file's lines, but one at a time: a bad row makes its own lookup fail
 * with {@link SubscriberLookupException} (answered with the fail mode) and never touches other numbers.
 */
public final class JdbcSubscriberDirectory implements SubscriberDirectory {

    /** A second matching row already makes the answer ambiguous; reading further would only cost time. */
    private static final int ENOUGH_TO_SEE_A_DUPLICATE = 2;
    /** ANSI SQLSTATE for a cancelled statement; PostgreSQL reports a statement timeout this way. */
    private static final String QUERY_CANCELED = "57014";

    private final JdbcTemplate jdbc;
    private final String query;
    private final int timeoutSeconds;

    public JdbcSubscriberDirectory(DataSource dataSource, JdbcSubscriberProperties properties) {
        this.query = properties.query();
        this.timeoutSeconds = wholeSeconds(properties.queryTimeout());
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.jdbc.setQueryTimeout(timeoutSeconds);
    }

    @Override
    public Optional<SubscriberRecord> find(String normalisedTn) {
        Optional<String> number = TelephoneNumbers.normalize(normalisedTn);
        if (number.isEmpty()) {
            return Optional.empty();
        }
        ResultSetExtractor<List<StoredRow>> rowsForNumber = rs -> rowsFor(number.get(), rs);
        List<StoredRow> rows;
        try {
            rows = jdbc.query(query, rowsForNumber, number.get());
        } catch (DataAccessException e) {
            throw failure(e);
        }
        if (rows.size() > 1) {
            throw new SubscriberLookupException("Subscriber lookup: more than one database row for …"
                    + tail(number.get()) + "; each number may have one row");
        }
        return rows.stream().findFirst().map(StoredRow::toRecord);
    }

    @Override
    public String sourceName() {
        return "jdbc";
    }

    /** The rows for this number alone, read as they are; checked only once it is known which one answers. */
    private static List<StoredRow> rowsFor(String number, ResultSet rs) throws SQLException {
        List<StoredRow> rows = new ArrayList<>(ENOUGH_TO_SEE_A_DUPLICATE);
        while (rows.size() < ENOUGH_TO_SEE_A_DUPLICATE && rs.next()) {
            if (TelephoneNumbers.normalize(rs.getString("telephone_number")).filter(number::equals).isEmpty()) {
                continue;
            }
            boolean active = rs.getBoolean("active");
            boolean activeIsNull = rs.wasNull();
            rows.add(new StoredRow(number,
                    rs.getString("account_number"),
                    rs.getString("pin_hash"),
                    rs.getString("zip_code"),
                    rs.getString("subscriber_name"),
                    activeIsNull ? null : active));
        }
        return rows;
    }

    private SubscriberLookupException failure(DataAccessException e) {
        if (timedOut(e)) {
            return new SubscriberLookupException(
                    "Subscriber lookup: the database did not answer within " + timeoutSeconds + " s", true);
        }
        Throwable cause = e.getMostSpecificCause();
        String detail = cause instanceof SQLException sql
                ? ", SQLState " + sql.getSQLState() + ", vendor code " + sql.getErrorCode() : "";
        return new SubscriberLookupException("Subscriber lookup: the database query failed ("
                + e.getClass().getSimpleName() + detail + "); check the database and numbers-router.portout.jdbc.query");
    }

    private static boolean timedOut(DataAccessException e) {
        if (e instanceof QueryTimeoutException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException
                    || (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** JDBC timeouts are whole seconds, and 0 would mean none at all. */
    private static int wholeSeconds(Duration timeout) {
        long millis = timeout.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }

    private static String tail(String number) {
        return number.substring(number.length() - 4);
    }

    /** A matching row as the database returned it, not yet trusted. */
    private record StoredRow(String number, String accountNumber, String pinHash, String zipCode,
            String subscriberName, Boolean active) {

        SubscriberRecord toRecord() {
            return new SubscriberRecord(number,
                    required("account_number", accountNumber),
                    trustedPinHash(),
                    trustedZipCode(),
                    required("subscriber_name", subscriberName),
                    activeFlag());
        }

        /**
         * A North American ZIP that lost its leading zeros in a numeric column (02134 read back as 2134) is given them
         * back: a US ZIP has 5 digits, so no other reading exists. Compared as read, every port-out of that subscriber
         * would be denied with 7515; refused, it would get the fail mode's answer instead.
         */
        private String trustedZipCode() {
            String zip = required("zip_code", zipCode);
            return ZipCodes.lostLeadingZeros(number, zip) ? "0".repeat(5 - zip.length()) + zip : zip;
        }

        /** NULL or blank means "no PIN on file". Anything else must be a hash; a clear-text PIN is never compared. */
        private String trustedPinHash() {
            if (pinHash == null || pinHash.isBlank()) {
                return null;
            }
            String stored = pinHash.strip();
            PinHashFormat.problem(stored).ifPresent(problem -> {
                throw problem(problem);
            });
            return stored;
        }

        private String required(String column, String value) {
            if (value == null || value.isBlank()) {
                throw problem(column + " is empty");
            }
            return value.strip();
        }

        private boolean activeFlag() {
            if (active == null) {
                throw problem("active is NULL; it must be true or false");
            }
            return active;
        }

        private SubscriberLookupException problem(String problem) {
            return new SubscriberLookupException("Subscriber lookup: the database row for …" + tail(number) + ": "
                    + problem);
        }

        /** Replaces the record default, which would print the stored values. */
        @Override
        public String toString() {
            return "StoredRow[…" + tail(number) + "]";
        }
    }
}
