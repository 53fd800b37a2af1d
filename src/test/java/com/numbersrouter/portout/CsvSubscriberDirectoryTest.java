package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

class CsvSubscriberDirectoryTest {

    private static final String HEADER = "telephone_number,account_number,pin_hash,zip_code,subscriber_name,active";

    @TempDir
    Path dir;

    @Test
    void loadsRowsWithCommentsQuotesBlankLinesAndCrLf() throws IOException {
        String hash = TestSubscribers.bcrypt("048213");
        CsvSubscriberDirectory directory = load("\uFEFF# comment before the header\r\n"
                + HEADER + "\r\n"
                + "\r\n"
                + "   # indented comment, with \"quotes\" and, commas\r\n"
                + "9195550188,ACCT-1,\"" + hash + "\",27606,\"Acme Plumbing, LLC\",true\r\n"
                + "+1 (919) 555-0189, ACCT-2 ,, 10001 , \"He said \"\"hi\"\"\" ,FALSE\r\n"
                + "+442071838750,ACCT-3,,EC1A 1BB,\"Two\nLines Ltd\",true");

        assertThat(directory.size()).isEqualTo(3);
        assertThat(directory.find("9195550188")).get()
                .returns("ACCT-1", SubscriberRecord::accountNumber)
                .returns(hash, SubscriberRecord::pinHash)
                .returns("Acme Plumbing, LLC", SubscriberRecord::subscriberName)
                .returns(true, SubscriberRecord::active);
        assertThat(directory.find("9195550189")).get()
                .returns("ACCT-2", SubscriberRecord::accountNumber)
                .returns(null, SubscriberRecord::pinHash)
                .returns("10001", SubscriberRecord::zipCode)
                .returns("He said \"hi\"", SubscriberRecord::subscriberName)
                .returns(false, SubscriberRecord::active);
        assertThat(directory.find("+442071838750")).get()
                .returns("Two\nLines Ltd", SubscriberRecord::subscriberName);
    }

    @Test
    void findsANumberWhicheverWayItIsSpelled() throws IOException {
        CsvSubscriberDirectory directory = load(HEADER + "\n+19195550188,ACCT-1,,27606,Acme,true\n");

        assertThat(directory.find("9195550188")).isPresent();
        assertThat(directory.find("+19195550188")).isPresent();
        assertThat(directory.find("9195550199")).isEmpty();
        assertThat(directory.find("not a number")).isEmpty();
        assertThat(directory.find(null)).isEmpty();
    }

    @Test
    void acceptsPbkdf2Hashes() throws IOException {
        String hash = "{pbkdf2@SpringSecurity_v5_8}"
                + Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("048213");
        CsvSubscriberDirectory directory = load(HEADER + "\n9195550188,ACCT-1," + hash + ",27606,Acme,true\n");

        assertThat(directory.find("9195550188")).get().returns(hash, SubscriberRecord::pinHash);
    }

    @Test
    void refusesAClearTextPinNamingTheLineButNotThePin() throws IOException {
        String csv = "# header comment\n" + HEADER + "\n"
                + "9195550188,ACCT-1," + TestSubscribers.bcrypt("111111") + ",27606,Acme,true\n"
                + "9195550189,ACCT-7781234,048213,27606,Acme,true\n";

        assertThatThrownBy(() -> load(csv))
                .isInstanceOf(SubscriberFileException.class)
                .extracting(e -> ((SubscriberFileException) e).lineNumber()).isEqualTo(4);
        assertThat(refusal(csv))
                .startsWith("<file> line 4: ")
                .contains("clear-text PIN")
                .doesNotContain("048213", "ACCT-7781234", "9195550189");
    }

    @Test
    void refusesNoopAndOtherUnsupportedEncodings() {
        assertThat(refusal(HEADER + "\n9195550188,ACCT-1,{noop}048213,27606,Acme,true\n"))
                .startsWith("<file> line 2: pin_hash uses an unsupported encoding")
                .doesNotContain("048213", "noop");
    }

    @Test
    void refusesAMalformedBcryptHash() {
        assertThat(refusal(HEADER + "\n9195550188,ACCT-1,{bcrypt}048213,27606,Acme,true\n"))
                .isEqualTo("<file> line 2: pin_hash is not a well-formed {bcrypt} hash");
    }

    @Test
    void refusesTheSameNumberTwiceEvenInAnotherSpelling() {
        String csv = HEADER + "\n"
                + "9195550188,ACCT-1,,27606,Acme,true\n"
                + "# comment\n"
                + "+1 919 555 0188,ACCT-2,,27606,Other,true\n";

        assertThat(refusal(csv))
                .isEqualTo("<file> line 4: telephone_number duplicates the number on line 2");
    }

    @Test
    void refusesAWrongHeader() {
        assertThatThrownBy(() -> load("telephone_number,account_number,pin,zip_code,subscriber_name,active\n"))
                .isInstanceOf(SubscriberFileException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining(HEADER);
    }

    @Test
    void refusesAFileWithoutHeader() {
        assertThatThrownBy(() -> load("# only comments\n\n"))
                .isInstanceOf(SubscriberFileException.class)
                .hasMessageContaining("header line missing");
    }

    @Test
    void refusesRowsThatCannotBeTrusted() {
        assertRowRefused("9195550188,ACCT-1,,27606,Acme", "expected 6 fields, found 5");
        assertRowRefused("9195550188,ACCT-1,,27606,Acme,true,extra", "expected 6 fields, found 7");
        assertRowRefused("919555018,ACCT-1,,27606,Acme,true", "telephone_number is not");
        assertRowRefused("9195550188,,,27606,Acme,true", "account_number is empty");
        assertRowRefused("9195550188,ACCT-1,,,Acme,true", "zip_code is empty");
        // 02134 saved by a spreadsheet as a number: every port-out of the subscriber would be denied with 7515
        assertRowRefused("6175550188,ACCT-1,,2134,Acme,true",
                "zip_code has 4 digits, fewer than 5 for a North American number (a spreadsheet may have dropped"
                        + " its leading zeros)");
        assertRowRefused("9195550188,ACCT-1,,27606,\"\",true", "subscriber_name is empty");
        assertRowRefused("9195550188,ACCT-1,,27606,Acme,yes", "active must be true or false");
        assertRowRefused("9195550188,ACCT-1,,27606,\"Acme,true", "quoted field is never closed");
        assertRowRefused("9195550188,ACCT-1,,27606,\"Acme\" LLC,true", "text after a closing quote");
        assertRowRefused("9195550188,ACCT-1,,27606,Acme \"LLC\",true", "quote inside an unquoted field");
    }

    @Test
    void reportsAnUnreadableFileByPath() {
        Path missing = dir.resolve("absent.csv");

        assertThatThrownBy(() -> new CsvSubscriberDirectory(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void namesItsSourceForTheAuditAlsoWhenReloading() throws IOException {
        CsvSubscriberDirectory directory = load(HEADER + "\n9195550188,ACCT-1,,27606,Acme,true\n");

        assertThat(directory.sourceName()).isEqualTo("csv");
        assertThat(new ReloadingSubscriberDirectory(() -> directory).sourceName()).isEqualTo("csv");
    }

    @Test
    void recordToStringKeepsStoredValuesOutOfLogs() {
        SubscriberRecord subscriber = new SubscriberRecord("9195550188", "ACCT-7781234",
                "{bcrypt}$2a$04$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01", "27606", "Acme Plumbing LLC",
                true);

        assertThat(subscriber.toString())
                .doesNotContain("ACCT-7781234", "{bcrypt}", "27606", "Acme", "9195550188")
                .contains("0188", "pinOnFile=true");
    }

    private void assertRowRefused(String row, String problem) {
        assertThat(refusal(HEADER + "\n# comment\n" + row + "\n")).as(row).startsWith("<file> line 3: " + problem);
    }

    private CsvSubscriberDirectory load(String csv) throws IOException {
        Path file = dir.resolve("subscribers.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return new CsvSubscriberDirectory(file);
    }

    /** The message with the file path replaced, since a random temp path could contain any digits. */
    private String refusal(String csv) {
        Throwable thrown = catchThrowable(() -> load(csv));
        assertThat(thrown).isInstanceOf(SubscriberFileException.class);
        return thrown.getMessage().replace(dir.resolve("subscribers.csv").toString(), "<file>");
    }
}
