package com.numbersrouter.portout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A small directory for validator tests, mirroring config/subscribers.csv with cheap hashes. */
final class TestSubscribers {

    static final String ACCOUNT = "ACCT-7781234";
    static final String PIN = "048213";
    static final String ZIP = "27606";
    static final String NAME = "Acme Plumbing LLC";
    static final String TN_1 = "9195550188";
    static final String TN_2 = "9195550189";
    static final String TN_INACTIVE = "9195550190";

    static final String NO_PIN_ACCOUNT = "ACCT-5550001";
    static final String NO_PIN_TN = "9195550191";
    static final String NO_PIN_ZIP = "10001";
    static final String NO_PIN_NAME = "Hudson Deli, Inc.";

    static final String UK_ACCOUNT = "ACCT-4420001";
    static final String UK_PIN = "731904";
    static final String UK_TN = "+442071838750";
    static final String UK_POSTCODE = "EC1A 1BB";
    static final String UK_NAME = "Thames Widgets Ltd";

    static final List<String> STORED_VALUES = List.of(ACCOUNT, PIN, ZIP, NAME, NO_PIN_ACCOUNT, NO_PIN_ZIP,
            NO_PIN_NAME, UK_ACCOUNT, UK_PIN, UK_POSTCODE, UK_NAME);

    /** Cost 4 keeps the suite fast; the delegating encoder checks a {bcrypt} hash of any cost. */
    private static final BCryptPasswordEncoder CHEAP_BCRYPT = new BCryptPasswordEncoder(4);

    private TestSubscribers() {
    }

    static String bcrypt(String pin) {
        return "{bcrypt}" + CHEAP_BCRYPT.encode(pin);
    }

    static PasswordEncoder pinEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Each row hashed separately, so the two ACCT-7781234 numbers carry different salts. */
    static Path writeCsv(Path dir) throws IOException {
        String csv = String.join("\n",
                "# test directory",
                String.join(",", CsvSubscriberDirectory.HEADER),
                row(TN_1, ACCOUNT, bcrypt(PIN), ZIP, NAME, true),
                row(TN_2, ACCOUNT, bcrypt(PIN), ZIP, NAME, true),
                row(TN_INACTIVE, ACCOUNT, bcrypt(PIN), ZIP, NAME, false),
                row(NO_PIN_TN, NO_PIN_ACCOUNT, "", NO_PIN_ZIP, "\"" + NO_PIN_NAME + "\"", true),
                row(UK_TN, UK_ACCOUNT, bcrypt(UK_PIN), UK_POSTCODE, UK_NAME, true),
                "");
        Path file = dir.resolve("subscribers.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    static SubscriberDirectory directory(Path dir) throws IOException {
        return new CsvSubscriberDirectory(writeCsv(dir));
    }

    private static String row(String tn, String account, String pinHash, String zip, String name, boolean active) {
        return String.join(",", tn, account, pinHash, zip, name, Boolean.toString(active));
    }
}
