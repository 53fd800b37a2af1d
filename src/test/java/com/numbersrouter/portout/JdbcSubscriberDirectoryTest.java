package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.FileSystemResource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The subscriber directory on a database. H2 in memory (PostgreSQL mode) stands in for the operator's database;
 * most tests use a table without constraints, since the point is what the node does with rows it must not trust.
 */
class JdbcSubscriberDirectoryTest {

    private static final String HASH = TestSubscribers.bcrypt(TestSubscribers.PIN);

    private DriverManagerDataSource dataSource;
    private JdbcTemplate db;

    @BeforeEach
    void database() {
        dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:subscribers-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        db = new JdbcTemplate(dataSource);
        db.execute("CREATE TABLE portout_subscribers (telephone_number varchar(20), account_number varchar(64), "
                + "pin_hash varchar(255), zip_code varchar(16), subscriber_name varchar(255), active boolean)");
    }

    @AfterEach
    void dropDatabase() {
        db.execute("SHUTDOWN");
    }

    @Test
    void findsAStoredNumberWithEveryColumn() {
        insert(TestSubscribers.TN_1, TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);

        assertThat(directory().find(TestSubscribers.TN_1)).get()
                .returns(TestSubscribers.TN_1, SubscriberRecord::telephoneNumber)
                .returns(TestSubscribers.ACCOUNT, SubscriberRecord::accountNumber)
                .returns(HASH, SubscriberRecord::pinHash)
                .returns(TestSubscribers.ZIP, SubscriberRecord::zipCode)
                .returns(TestSubscribers.NAME, SubscriberRecord::subscriberName)
                .returns(true, SubscriberRecord::active);
    }

    @Test
    void aTenDigitRowAnswersANumberWrittenInE164() {
        insert("9195550188", TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, false);

        assertThat(directory().find("+19195550188")).get()
                .returns("9195550188", SubscriberRecord::telephoneNumber)
                .returns(false, SubscriberRecord::active);
        assertThat(directory().find("+1 (919) 555-0188")).isPresent();
    }

    @Test
    void aNumberOutsideNanpIsLookedUpInE164() {
        insert(TestSubscribers.UK_TN, TestSubscribers.UK_ACCOUNT, HASH, TestSubscribers.UK_POSTCODE,
                TestSubscribers.UK_NAME, true);

        assertThat(directory().find("+44 20 7183 8750")).get()
                .returns(TestSubscribers.UK_TN, SubscriberRecord::telephoneNumber)
                .returns(TestSubscribers.UK_POSTCODE, SubscriberRecord::zipCode);
    }

    @Test
    void anUnknownNumberIsNotFound() {
        insert(TestSubscribers.TN_1, TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);

        assertThat(directory().find("9195550199")).isEmpty();
        assertThat(directory().find("not a number")).isEmpty();
        assertThat(directory().find(null)).isEmpty();
    }

    @Test
    void aNullOrBlankPinHashMeansNoPinOnFile() {
        insert("9195550191", TestSubscribers.NO_PIN_ACCOUNT, null, TestSubscribers.NO_PIN_ZIP,
                TestSubscribers.NO_PIN_NAME, true);
        insert("9195550192", TestSubscribers.NO_PIN_ACCOUNT, "  ", TestSubscribers.NO_PIN_ZIP,
                TestSubscribers.NO_PIN_NAME, true);

        assertThat(directory().find("9195550191")).get().returns(false, SubscriberRecord::hasPin);
        assertThat(directory().find("9195550192")).get().returns(false, SubscriberRecord::hasPin);
    }

    @Test
    void aClearTextPinIsNeverComparedAndTheErrorNamesTheColumnNotTheValue() {
        insert(TestSubscribers.TN_1, TestSubscribers.ACCOUNT, TestSubscribers.PIN, TestSubscribers.ZIP,
                TestSubscribers.NAME, true);
        insert(TestSubscribers.TN_2, TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);

        SubscriberLookupException refused = catchThrowableOfType(SubscriberLookupException.class,
                () -> directory().find(TestSubscribers.TN_1));

        assertThat(refused.getMessage()).contains("pin_hash", "clear-text PIN", "…0188")
                .doesNotContain(TestSubscribers.PIN, TestSubscribers.ACCOUNT, TestSubscribers.ZIP, TestSubscribers.NAME);
        assertThat(refused.timedOut()).isFalse();
        // one bad row fails its own number only
        assertThat(directory().find(TestSubscribers.TN_2)).isPresent();
    }

    @Test
    void aHashInAnUnsupportedEncodingIsAnError() {
        insert(TestSubscribers.TN_1, TestSubscribers.ACCOUNT, "{noop}" + TestSubscribers.PIN, TestSubscribers.ZIP,
                TestSubscribers.NAME, true);

        assertThatThrownBy(() -> directory().find(TestSubscribers.TN_1))
                .isInstanceOf(SubscriberLookupException.class)
                .hasMessageContaining("pin_hash uses an unsupported encoding")
                .message().doesNotContain(TestSubscribers.PIN, "noop");
    }

    @Test
    void emptyColumnsAndAnUnknownActiveFlagAreErrors() {
        insert("9195550001", " ", null, TestSubscribers.ZIP, TestSubscribers.NAME, true);
        insert("9195550002", TestSubscribers.ACCOUNT, null, null, TestSubscribers.NAME, true);
        insert("9195550003", TestSubscribers.ACCOUNT, null, TestSubscribers.ZIP, "", true);
        insert("9195550004", TestSubscribers.ACCOUNT, null, TestSubscribers.ZIP, TestSubscribers.NAME, null);
        JdbcSubscriberDirectory directory = directory();

        assertThatThrownBy(() -> directory.find("9195550001")).hasMessageEndingWith("account_number is empty");
        assertThatThrownBy(() -> directory.find("9195550002")).hasMessageEndingWith("zip_code is empty");
        assertThatThrownBy(() -> directory.find("9195550003")).hasMessageEndingWith("subscriber_name is empty");
        assertThatThrownBy(() -> directory.find("9195550004")).hasMessageContaining("active is NULL");
    }

    /** 02134 kept in an integer column reads back as 2134: compared as read, it would deny every port-out (7515). */
    @Test
    void aNorthAmericanZipThatLostItsLeadingZerosGetsThemBack() {
        insert("9195550005", TestSubscribers.ACCOUNT, HASH, "2134", TestSubscribers.NAME, true);
        insert("+449195550006", TestSubscribers.UK_ACCOUNT, HASH, "2134", TestSubscribers.UK_NAME, true);
        JdbcSubscriberDirectory directory = directory();

        assertThat(directory.find("9195550005")).get().returns("02134", SubscriberRecord::zipCode);
        assertThat(directory.find("+449195550006")).as("another country's postcode is kept as it is").get()
                .returns("2134", SubscriberRecord::zipCode);
    }

    @Test
    void aLooserQueryWorksBecauseRowsForOtherNumbersAreIgnored() {
        insert("19195550188", TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);
        // ends in the same 10 digits, but is a UK number
        insert("+449195550188", TestSubscribers.UK_ACCOUNT, HASH, TestSubscribers.UK_POSTCODE, TestSubscribers.UK_NAME,
                true);
        insert("garbage 9195550188", "ACCT-X", HASH, "00000", "Nobody", true);

        assertThat(directory("SELECT * FROM portout_subscribers WHERE right(telephone_number, 10) = right(?, 10)")
                .find("9195550188")).get()
                .returns("9195550188", SubscriberRecord::telephoneNumber)
                .returns(TestSubscribers.ACCOUNT, SubscriberRecord::accountNumber);
    }

    @Test
    void twoRowsForTheSameNumberAreAnError() {
        insert("9195550188", TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);
        insert("+1 919 555 0188", "ACCT-OTHER", null, "10001", "Someone Else", true);

        assertThatThrownBy(() -> directory("SELECT * FROM portout_subscribers WHERE right(telephone_number, 4) = right(?, 4)")
                .find("+19195550188"))
                .isInstanceOf(SubscriberLookupException.class)
                .hasMessageContaining("more than one database row for …0188")
                .message().doesNotContain(TestSubscribers.ACCOUNT, "ACCT-OTHER");
    }

    @Test
    void aQueryOfYourOwnReturnsTheColumnsUnderAliases() {
        db.execute("CREATE TABLE crm_lines (msisdn varchar(20), acct varchar(64), pin varchar(255), "
                + "postcode varchar(16), customer varchar(255), status varchar(16))");
        db.update("INSERT INTO crm_lines VALUES (?, ?, ?, ?, ?, ?)",
                "+19195550188", TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, "SUSPENDED");

        JdbcSubscriberDirectory directory = directory("SELECT msisdn AS telephone_number, acct AS account_number, "
                + "pin AS pin_hash, postcode AS zip_code, customer AS subscriber_name, status = 'ACTIVE' AS active "
                + "FROM crm_lines WHERE msisdn = '+1' || ?");

        assertThat(directory.find("9195550188")).get()
                .returns("9195550188", SubscriberRecord::telephoneNumber)
                .returns(TestSubscribers.ACCOUNT, SubscriberRecord::accountNumber)
                .returns(HASH, SubscriberRecord::pinHash)
                .returns(TestSubscribers.ZIP, SubscriberRecord::zipCode)
                .returns(TestSubscribers.NAME, SubscriberRecord::subscriberName)
                .returns(false, SubscriberRecord::active);
    }

    @Test
    void aDatabaseFailureIsAnExceptionThatQuotesNoStoredValue() {
        db.execute("CREATE TABLE odd_subscribers (telephone_number varchar(20), account_number varchar(64), "
                + "pin_hash varchar(255), zip_code varchar(16), subscriber_name varchar(255), active varchar(16))");
        db.update("INSERT INTO odd_subscribers VALUES (?, ?, NULL, ?, ?, ?)",
                TestSubscribers.TN_1, TestSubscribers.ACCOUNT, TestSubscribers.ZIP, TestSubscribers.NAME, "maybe-later");

        SubscriberLookupException failed = catchThrowableOfType(SubscriberLookupException.class,
                () -> directory("SELECT * FROM odd_subscribers WHERE telephone_number = ?").find(TestSubscribers.TN_1));

        // H2's own message here is: Data conversion error converting "maybe-later"
        assertThat(failed.getMessage()).contains("the database query failed", "SQLState")
                .doesNotContain("maybe-later", TestSubscribers.ACCOUNT);
        assertThat(failed.getCause()).isNull();
        assertThat(failed.timedOut()).isFalse();

        assertThatThrownBy(() -> directory("SELECT * FROM no_such_table WHERE telephone_number = ?").find("9195550188"))
                .isInstanceOf(SubscriberLookupException.class)
                .hasMessageContaining("check the database and numbers-router.portout.jdbc.query");
    }

    @Test
    void aHungDatabaseIsCutOffByTheQueryTimeout() {
        // Each row sleeps 10 ms in the database: 100 000 rows would take over 15 minutes. H2 checks the statement
        // timeout between rows, which is where a real database's cancel would land too.
        db.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'");
        JdbcSubscriberDirectory directory = new JdbcSubscriberDirectory(dataSource, new JdbcSubscriberProperties(
                "SELECT CAST(? AS varchar) AS telephone_number FROM SYSTEM_RANGE(1, 100000) WHERE SLEEP(10) IS NULL",
                Duration.ofSeconds(1)));

        SubscriberLookupException timedOut = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> catchThrowableOfType(SubscriberLookupException.class, () -> directory.find("9195550188")));

        assertThat(timedOut.timedOut()).isTrue();
        assertThat(timedOut.getMessage()).contains("did not answer within 1 s");
    }

    @Test
    void theDocumentedSchemaKeepsNumbersNormalisedAndPinsHashed() {
        db.execute("DROP TABLE portout_subscribers");
        new ResourceDatabasePopulator(new FileSystemResource(Path.of("docs/portout-subscribers.sql")))
                .execute(dataSource);
        insert(TestSubscribers.TN_1, TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP, TestSubscribers.NAME, true);
        insert(TestSubscribers.UK_TN, TestSubscribers.UK_ACCOUNT, null, TestSubscribers.UK_POSTCODE,
                TestSubscribers.UK_NAME, true);

        assertThat(directory().find("+19195550188")).isPresent();
        assertThat(directory().find(TestSubscribers.UK_TN)).isPresent();
        assertThatThrownBy(() -> insert("+19195550189", TestSubscribers.ACCOUNT, HASH, TestSubscribers.ZIP,
                TestSubscribers.NAME, true)).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> insert(TestSubscribers.TN_2, TestSubscribers.ACCOUNT, TestSubscribers.PIN,
                TestSubscribers.ZIP, TestSubscribers.NAME, true)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void namesItsSourceForTheAudit() {
        assertThat(directory().sourceName()).isEqualTo("jdbc");
    }

    private JdbcSubscriberDirectory directory() {
        return directory(JdbcSubscriberProperties.DEFAULT_QUERY);
    }

    private JdbcSubscriberDirectory directory(String query) {
        return new JdbcSubscriberDirectory(dataSource, new JdbcSubscriberProperties(query, Duration.ofSeconds(5)));
    }

    private void insert(String tn, String account, String pinHash, String zip, String name, Boolean active) {
        db.update("INSERT INTO portout_subscribers (telephone_number, account_number, pin_hash, zip_code, "
                + "subscriber_name, active) VALUES (?, ?, ?, ?, ?, ?)", tn, account, pinHash, zip, name, active);
    }
}
