package io.streamrec.movielens;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What reading one data file produced: lines read, records kept, malformed lines skipped (with the first few messages). */
public final class ParseReport {
    /** Enough to diagnose a broken file without flooding a log when every one of 25M lines is bad. */
    public static final int MAX_MESSAGES = 20;

    private static final int MAX_ECHO = 120;

    private final String fileName;
    private long linesRead;
    private long recordsOk;
    private long malformed;
    private final List<String> messages = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public ParseReport(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** Physical lines seen, header and blank lines included. */
    public long linesRead() {
        return linesRead;
    }

    /** Records (ratings or movies) that parsed and were kept. */
    public long recordsOk() {
        return recordsOk;
    }

    public long malformed() {
        return malformed;
    }

    /** The first {@value #MAX_MESSAGES} malformed-line messages, each {@code file:line: reason: 'text'}. */
    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Observations about the file as a whole (e.g. an encoding other than the official one was detected). */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    void lines(long count) {
        linesRead = count;
    }

    void ok() {
        recordsOk++;
    }

    void note(String note) {
        notes.add(note);
    }

    void malformed(long lineNumber, String reason, CharSequence line) {
        malformed++;
        if (messages.size() < MAX_MESSAGES) {
            String echo = line == null ? "" : line.toString();
            if (echo.length() > MAX_ECHO) {
                echo = echo.substring(0, MAX_ECHO) + "...";
            }
            messages.add(fileName + ":" + lineNumber + ": " + reason + ": '" + echo + "'");
        }
    }

    /** One line for logs, e.g. {@code ratings.csv: 100837 lines, 100836 ok, 0 malformed}. */
    public String summary() {
        return fileName + ": " + linesRead + " lines, " + recordsOk + " ok, " + malformed + " malformed";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(summary());
        for (String n : notes) {
            sb.append(System.lineSeparator()).append("  note: ").append(n);
        }
        for (String m : messages) {
            sb.append(System.lineSeparator()).append("  ").append(m);
        }
        if (malformed > messages.size()) {
            sb.append(System.lineSeparator())
                    .append("  ... and ")
                    .append(malformed - messages.size())
                    .append(" more malformed lines");
        }
        return sb.toString();
    }
}
