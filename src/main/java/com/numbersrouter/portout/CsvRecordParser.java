package com.numbersrouter.portout;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records: comma separated, fields optionally in double quotes, {@code ""} for a quote inside a quoted
 * field, quoted fields may span lines. Also skips blank lines and lines starting with {@code #}, which RFC 4180
 * lacks but a hand-edited configuration file needs.
 *
 * <p>Hand-written on purpose. Jackson's CSV module (2.19, the version Spring Boot's BOM manages) was tried on this
 * class's cases: it keeps a byte-order mark in the first field, gives the first records line -1 (errors must name
 * the line), takes {@code Acme "LLC"} as a value instead of refusing a stray quote, and puts the offending character
 * in its messages (a character of a PIN hash or ZIP code in a log). Each would need a workaround around it.
 */
final class CsvRecordParser {

    /** A parsed record and the line it starts on, so errors can point at it. */
    record CsvRecord(int lineNumber, List<String> fields) {
    }

    private final String source;

    CsvRecordParser(String source) {
        this.source = source;
    }

    List<CsvRecord> parse(String text) {
        List<CsvRecord> records = new ArrayList<>();
        int line = 1;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        while (i < text.length()) {
            int recordLine = line;
            if (atIgnorableLine(text, i)) {
                int end = endOfLine(text, i);
                i = skipLineBreak(text, end);
                line++;
                continue;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean recordDone = false;
            while (!recordDone) {
                int afterBlanks = skipBlanks(text, i);
                if (afterBlanks < text.length() && text.charAt(afterBlanks) == '"') {
                    i = afterBlanks;
                    i++;
                    while (true) {
                        if (i >= text.length()) {
                            throw new SubscriberFileException(source, recordLine, "quoted field is never closed");
                        }
                        char c = text.charAt(i);
                        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                        } else if (c == '"') {
                            i++;
                            break;
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                            i++;
                        }
                    }
                    i = skipBlanks(text, i);
                    if (i < text.length() && !isSeparatorOrEnd(text.charAt(i))) {
                        throw new SubscriberFileException(source, line, "text after a closing quote");
                    }
                } else {
                    while (i < text.length() && !isSeparatorOrEnd(text.charAt(i))) {
                        if (text.charAt(i) == '"') {
                            throw new SubscriberFileException(source, line,
                                    "quote inside an unquoted field; quote the whole field and double inner quotes");
                        }
                        field.append(text.charAt(i));
                        i++;
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i < text.length() && text.charAt(i) == ',') {
                    i++;
                } else {
                    i = skipLineBreak(text, i);
                    line++;
                    recordDone = true;
                }
            }
            records.add(new CsvRecord(recordLine, List.copyOf(fields)));
        }
        return records;
    }

    /** Hand-written files put a space after the comma; tolerate it around quoted fields. */
    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean atIgnorableLine(String text, int start) {
        int i = skipBlanks(text, start);
        return i >= text.length() || text.charAt(i) == '#' || text.charAt(i) == '\n' || text.charAt(i) == '\r';
    }

    private static boolean isSeparatorOrEnd(char c) {
        return c == ',' || c == '\n' || c == '\r';
    }

    private static int endOfLine(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static int skipLineBreak(String text, int at) {
        if (at < text.length() && text.charAt(at) == '\r') {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '\n') {
            at++;
        }
        return at;
    }
}
