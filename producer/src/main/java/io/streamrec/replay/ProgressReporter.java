package io.streamrec.replay;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Prints a progress line about once per interval: events sent, current rate, replay clock as a date, percent done. */
final class ProgressReporter {
    private final PrintStream out;
    private final long intervalNanos;
    private final long total;
    private long lastNanos;
    private long lastSent;

    ProgressReporter(PrintStream out, long intervalMillis, long total, long startNanos) {
        this.out = out;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.total = total;
        this.lastNanos = startNanos;
    }

    /** Prints a line if an interval has passed since the last one. */
    void maybeReport(long nowNanos, long sent, long replayClockMillis) {
        if (out == null || intervalNanos <= 0 || nowNanos - lastNanos < intervalNanos) {
            return;
        }
        out.println(line(sent, (sent - lastSent) * 1e9 / (nowNanos - lastNanos), replayClockMillis));
        out.flush();
        lastNanos = nowNanos;
        lastSent = sent;
    }

    String line(long sent, double eventsPerSecond, long replayClockMillis) {
        double pct = total > 0 ? 100.0 * sent / total : 100.0;
        String clock = replayClockMillis == Long.MIN_VALUE
                ? "-"
                : Instant.ofEpochMilli(replayClockMillis)
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString();
        return String.format(
                Locale.ROOT,
                "progress: %,d / %,d sent (%.1f%%), %,.0f events/s, replay clock %s",
                sent,
                total,
                pct,
                eventsPerSecond,
                clock);
    }
}
