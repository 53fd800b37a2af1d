package com.numbersrouter.portout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber directory as a CSV file, read once at construction and held in memory. The format is documented
 * at the top of {@code config/subscribers.csv}.
 *
 * <p>Loading refuses the whole file on the first bad row rather than skipping it: a skipped row would make its
 * number "not recognised", and the port-out would be denied for a data-entry slip.
 */
public final class CsvSubscriberDirectory implements SubscriberDirectory {

    static final List<String> HEADER =
            List.of("telephone_number", "account_number", "pin_hash", "zip_code", "subscriber_name", "active");

    private static final Logger LOG = LoggerFactory.getLogger(CsvSubscriberDirectory.class);

    private final Map<String, SubscriberRecord> byNumber;

    /**
     * @throws SubscriberFileException if any row is invalid (the message names the line, never a value)
     * @throws UncheckedIOException if the file cannot be read
     */
    public CsvSubscriberDirectory(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read subscriber file " + source, e);
        }
        this.byNumber = Map.copyOf(load(source, new CsvRecordParser(source).parse(text)));
        LOG.info("Loaded {} subscriber number(s) from {}", byNumber.size(), source);
    }

    @Override
    public boolean answersFromMemory() {
        return true; // the whole file is held in a map
    }

    @Override
    public Optional<SubscriberRecord> find(String normalisedTn) {
        return TelephoneNumbers.normalize(normalisedTn).map(byNumber::get);
    }

    @Override
    public String sourceName() {
        return "csv";
    }

    public int size() {
        return byNumber.size();
    }

    private static Map<String, SubscriberRecord> load(String source, List<CsvRecordParser.CsvRecord> records) {
        if (records.isEmpty()) {
            throw new SubscriberFileException(source, 1, "header line missing; expected " + String.join(",", HEADER));
        }
        CsvRecordParser.CsvRecord header = records.get(0);
        List<String> columns = header.fields().stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
        if (!columns.equals(HEADER)) {
            throw new SubscriberFileException(source, header.lineNumber(),
                    "header must be exactly " + String.join(",", HEADER));
        }
        Map<String, SubscriberRecord> byNumber = new HashMap<>();
        Map<String, Integer> lineOfNumber = new HashMap<>();
        for (CsvRecordParser.CsvRecord row : records.subList(1, records.size())) {
            SubscriberRecord subscriber = toRecord(source, row);
            Integer earlier = lineOfNumber.putIfAbsent(subscriber.telephoneNumber(), row.lineNumber());
            if (earlier != null) {
                throw new SubscriberFileException(source, row.lineNumber(),
                        "telephone_number duplicates the number on line " + earlier);
            }
            byNumber.put(subscriber.telephoneNumber(), subscriber);
        }
        return byNumber;
    }

    private static SubscriberRecord toRecord(String source, CsvRecordParser.CsvRecord row) {
        int line = row.lineNumber();
        if (row.fields().size() != HEADER.size()) {
            throw new SubscriberFileException(source, line,
                    "expected " + HEADER.size() + " fields, found " + row.fields().size());
        }
        List<String> f = row.fields().stream().map(String::strip).toList();
        String number = TelephoneNumbers.normalize(f.get(0)).orElseThrow(() -> new SubscriberFileException(
                source, line, "telephone_number is not a 10-digit NANP or E.164 number"));
        return new SubscriberRecord(
                number,
                required(source, line, "account_number", f.get(1)),
                pinHash(source, line, f.get(2)),
                zipCode(source, line, number, f.get(3)),
                required(source, line, "subscriber_name", f.get(4)),
                active(source, line, f.get(5)));
    }

    /** Refused rather than compared: see {@link ZipCodes#lostLeadingZeros}. */
    private static String zipCode(String source, int line, String number, String value) {
        required(source, line, "zip_code", value);
        if (ZipCodes.lostLeadingZeros(number, value)) {
            // the value is not shown: a ZIP code is what a port-out is checked against (SubscriberFileException)
            throw new SubscriberFileException(source, line, "zip_code has " + value.length() + " digits, fewer than"
                    + " 5 for a North American number (a spreadsheet may have dropped its leading zeros)");
        }
        return value;
    }

    private static String required(String source, int line, String column, String value) {
        if (value.isEmpty()) {
            throw new SubscriberFileException(source, line, column + " is empty");
        }
        return value;
    }

    /** Empty means "no PIN on file". Anything else must be a hash the delegating encoder can check. */
    private static String pinHash(String source, int line, String value) {
        if (value.isEmpty()) {
            return null;
        }
        PinHashFormat.problem(value).ifPresent(problem -> {
            throw new SubscriberFileException(source, line, problem);
        });
        return value;
    }

    private static boolean active(String source, int line, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new SubscriberFileException(source, line, "active must be true or false");
    }
}
