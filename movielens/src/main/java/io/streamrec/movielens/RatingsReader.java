package io.streamrec.movielens;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Streams the ratings of any official MovieLens ratings file ({@code u.data}/{@code *.base}/{@code *.test},
 * {@code ratings.dat}, {@code ratings.csv}) as (user, item, stars, epoch-millisecond) tuples, in file order.
 *
 * <p>Lines are parsed straight from bytes: no regex, no split, no String per line, because ml-25m has 25M of them.
 * A malformed line is reported (file and line number) and skipped, never guessed at.
 */
public final class RatingsReader {
    /** Receives each well-formed rating; primitive arguments so streaming a file allocates nothing per line. */
    @FunctionalInterface
    public interface RatingSink {
        void accept(int userId, int itemId, float rating, long timestampMillis);
    }

    /** A whole ratings file in memory, in file order, with how its reading went. */
    public record LoadedRatings(Path file, MovieLensFormat format, EventLog events, ParseReport report) {}

    private static final float MIN_STARS = 0.5f;
    private static final float MAX_STARS = 5.0f;
    /** Sentinel for "not a number" from the byte parsers (no exception on the per-line path). */
    private static final long NAN = Long.MIN_VALUE;

    private RatingsReader() {}

    /** Reads {@code fileOrDir} (a ratings file, or a MovieLens folder holding one) into memory, in file order. */
    public static LoadedRatings load(Path fileOrDir) throws IOException {
        Path file = MovieLensFiles.ratingsFile(fileOrDir);
        MovieLensFormat format = requireRatings(file);
        // Pre-size from the file length (~20-27 bytes a line) so ml-25m does not copy its columns ten times while
        // growing.
        long estimate = Files.size(file) / 22 + 16;
        EventLog log = new EventLog((int) Math.min(estimate, Integer.MAX_VALUE - 8));
        ParseReport report = read(file, format, log::add);
        return new LoadedRatings(file, format, log, report);
    }

    /** Streams the ratings of {@code file} (format detected) to {@code sink}. */
    public static ParseReport read(Path file, RatingSink sink) throws IOException {
        return read(file, requireRatings(file), sink);
    }

    /** Streams the ratings of {@code file}, read as {@code format}, to {@code sink}. */
    public static ParseReport read(Path file, MovieLensFormat format, RatingSink sink) throws IOException {
        if (!format.isRatings()) {
            throw new MovieLensFormatException(
                    file + " is " + format.description() + ", a movie metadata file, not ratings");
        }
        LineParser parser = new LineParser(format, file.getFileName().toString(), sink);
        try (InputStream in = Files.newInputStream(file)) {
            parser.report.lines(LineScanner.scan(in, parser));
        }
        return parser.report;
    }

    private static MovieLensFormat requireRatings(Path file) throws IOException {
        MovieLensFormat format = MovieLensFormat.detect(file);
        if (!format.isRatings()) {
            throw new MovieLensFormatException(
                    file + " is " + format.description() + ", a movie metadata file, not ratings");
        }
        return format;
    }

    /** Parses one line at a time; keeps the field boundaries in reused arrays. */
    private static final class LineParser implements LineScanner.LineHandler {
        final ParseReport report;
        private final RatingSink sink;
        private final MovieLensFormat format;
        private final byte sep;
        private final boolean doubleSep;
        private final String sepName;
        private final int[] from = new int[4];
        private final int[] to = new int[4];
        private boolean sawContent;

        LineParser(MovieLensFormat format, String fileName, RatingSink sink) {
            this.format = format;
            this.sink = sink;
            this.report = new ParseReport(fileName);
            switch (format) {
                case U_DATA -> {
                    sep = '\t';
                    doubleSep = false;
                    sepName = "TAB";
                }
                case RATINGS_DAT -> {
                    sep = ':';
                    doubleSep = true;
                    sepName = "'::'";
                }
                default -> {
                    sep = ',';
                    doubleSep = false;
                    sepName = "','";
                }
            }
        }

        @Override
        public void line(byte[] b, int start, int end, long lineNumber) {
            if (!sawContent
                    && start + 3 <= end
                    && b[start] == (byte) 0xEF
                    && b[start + 1] == (byte) 0xBB
                    && b[start + 2] == (byte) 0xBF) {
                start += 3; // a UTF-8 byte-order mark some editors add
            }
            if (isBlank(b, start, end)) {
                return; // a trailing empty line is not a record, nor an error
            }
            if (!sawContent) {
                sawContent = true;
                if (format == MovieLensFormat.RATINGS_CSV && isHeader(b, start, end)) {
                    return;
                }
            }
            int fields = 0;
            int fieldStart = start;
            for (int i = start; i < end; i++) {
                if (b[i] == sep && (!doubleSep || (i + 1 < end && b[i + 1] == sep))) {
                    if (fields < 4) {
                        from[fields] = fieldStart;
                        to[fields] = i;
                    }
                    fields++;
                    if (doubleSep) i++;
                    fieldStart = i + 1;
                }
            }
            if (fields < 4) {
                from[fields] = fieldStart;
                to[fields] = end;
            }
            fields++;
            if (fields != 4) {
                bad(lineNumber, "expected 4 fields separated by " + sepName + ", found " + fields, b, start, end);
                return;
            }
            long user = parseLong(b, from[0], to[0]);
            long item = parseLong(b, from[1], to[1]);
            long seconds = parseLong(b, from[3], to[3]);
            double stars = parseDecimal(b, from[2], to[2]);
            if (user == NAN || item == NAN || seconds == NAN || Double.isNaN(stars)) {
                bad(lineNumber, "non-numeric field", b, start, end);
            } else if (user <= 0 || user > Integer.MAX_VALUE || item <= 0 || item > Integer.MAX_VALUE) {
                bad(lineNumber, "user and item ids must be in 1.." + Integer.MAX_VALUE, b, start, end);
            } else if (!(stars >= MIN_STARS && stars <= MAX_STARS)) {
                bad(lineNumber, "rating out of range 0.5..5", b, start, end);
            } else if (seconds < 0) {
                bad(lineNumber, "negative timestamp", b, start, end);
            } else if (seconds > Long.MAX_VALUE / 1000) {
                bad(lineNumber, "timestamp out of range", b, start, end);
            } else {
                report.ok();
                sink.accept((int) user, (int) item, (float) stars, seconds * 1000);
            }
        }

        private void bad(long lineNumber, String reason, byte[] b, int start, int end) {
            // Only malformed lines pay for a String; rating files are ASCII, latin-1 shows any stray byte as one char.
            report.malformed(
                    lineNumber, reason, new String(b, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1));
        }

        private static boolean isHeader(byte[] b, int start, int end) {
            if (b[start] >= '0' && b[start] <= '9') {
                return false;
            }
            String compact = new String(b, start, end - start, StandardCharsets.ISO_8859_1)
                    .replace(" ", "")
                    .replace("\"", "")
                    .toLowerCase(Locale.ROOT);
            return compact.equals(MovieLensFormat.RATINGS_CSV_HEADER);
        }
    }

    static boolean isBlank(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** A signed decimal integer in {@code b[start, end)} (surrounding spaces or CSV quotes allowed), or {@link #NAN}. */
    static long parseLong(byte[] b, int start, int end) {
        while (start < end && (b[start] == ' ' || b[start] == '"')) start++;
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) end--;
        if (start == end) return NAN;
        boolean negative = b[start] == '-';
        if (negative || b[start] == '+') start++;
        if (start == end || end - start > 18) {
            return NAN; // more than 18 digits cannot be a MovieLens id or a timestamp, and could overflow
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return NAN;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** A plain decimal ({@code 4}, {@code 3.5}, {@code .5}) in {@code b[start, end)}, or NaN; no exponents, no "NaN". */
    static double parseDecimal(byte[] b, int start, int end) {
        while (start < end && (b[start] == ' ' || b[start] == '"')) start++;
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '"')) end--;
        if (start == end) return Double.NaN;
        boolean negative = b[start] == '-';
        if (negative || b[start] == '+') start++;
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '.') {
                if (dot) return Double.NaN;
                dot = true;
            } else if (c >= '0' && c <= '9') {
                if (digits < 17) {
                    mantissa = mantissa * 10 + (c - '0');
                    digits++;
                    if (dot) scale++;
                } else if (!dot) {
                    return Double.NaN; // absurdly long integer part
                }
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) return Double.NaN;
        double v = mantissa / POW10[scale];
        return negative ? -v : v;
    }

    private static final double[] POW10 = new double[18];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }
}
