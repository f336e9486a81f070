package io.streamrec.movielens;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 CSV text into records: quoted fields may hold commas and doubled quotes ({@code ""}); records end at
 * LF or CRLF. MovieLens titles such as {@code "Cry, the Beloved Country (1995)"} need this.
 *
 * <p>Unlike full RFC 4180, a quoted field may not span lines: no MovieLens file has one, and allowing it would let a
 * single stray quote swallow the rest of the file into one record and shift every later line number.
 */
final class CsvRecordReader {
    private final String text;
    private int pos;
    private long line = 1;
    private long recordLine;
    private boolean unterminatedQuote;

    CsvRecordReader(String text) {
        this.text = text;
    }

    /** The next record's fields, or null at the end of the text. */
    List<String> next() {
        if (pos >= text.length()) {
            return null;
        }
        recordLine = line;
        unterminatedQuote = false;
        List<String> fields = new ArrayList<>(4);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (quoted) {
                if (c == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                    } else {
                        quoted = false;
                    }
                } else if (c == '\n' || c == '\r') {
                    pos--; // leave the line break to end the record below, flagged as broken
                    quoted = false;
                    unterminatedQuote = true;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
                    pos++;
                }
                line++;
                fields.add(field.toString());
                return fields;
            } else {
                // A quote inside an unquoted field is kept literally, as most CSV readers do.
                field.append(c);
                fieldStart = false;
            }
        }
        unterminatedQuote |= quoted;
        fields.add(field.toString());
        return fields;
    }

    /** The 1-based line on which the record last returned by {@link #next()} started. */
    long recordLine() {
        return recordLine;
    }

    /** Whether the last record hit the end of the text inside a quoted field. */
    boolean unterminatedQuote() {
        return unterminatedQuote;
    }
}
