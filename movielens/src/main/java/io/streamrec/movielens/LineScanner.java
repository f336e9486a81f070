package io.streamrec.movielens;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them, handing each line to a callback as a slice of a shared buffer.
 *
 * <p>Rating files are ASCII digits and separators, so decoding 25M lines into Strings (and splitting them) would be pure
 * overhead; parsers work on the bytes and only build a String for a malformed line's error message.
 */
final class LineScanner {
    /** Receives one line: {@code buf[start, end)} without its terminator ({@code \n}, {@code \r\n} or a lone final line). */
    @FunctionalInterface
    interface LineHandler {
        void line(byte[] buf, int start, int end, long lineNumber);
    }

    private static final int CHUNK = 1 << 16;

    private LineScanner() {}

    /** Feeds every line of {@code in} to {@code handler}; returns the number of lines (a final line without newline counts). */
    static long scan(InputStream in, LineHandler handler) throws IOException {
        byte[] buf = new byte[CHUNK * 2];
        int start = 0; // first byte of the current (incomplete) line
        int limit = 0; // end of valid data in buf
        long lineNumber = 0;
        while (true) {
            if (limit == buf.length) {
                if (start > 0) {
                    // Move the partial line to the front so the next read has room.
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    limit -= start;
                    start = 0;
                } else {
                    // One line longer than the whole buffer: grow rather than cut it.
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int scanFrom = limit;
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i;
                    if (end > start && buf[end - 1] == '\r') {
                        end--;
                    }
                    handler.line(buf, start, end, ++lineNumber);
                    start = i + 1;
                }
            }
        }
        if (start < limit) {
            int end = limit;
            if (buf[end - 1] == '\r') {
                end--;
            }
            handler.line(buf, start, end, ++lineNumber);
        }
        return lineNumber;
    }
}
