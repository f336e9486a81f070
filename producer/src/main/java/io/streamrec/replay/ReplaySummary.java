package io.streamrec.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one replay.
 *
 * @param selected events the options selected (after start time, skip and limit)
 * @param sent events handed to the producer
 * @param acknowledged events the broker acknowledged
 * @param failed events whose send failed
 * @param malformed malformed lines skipped while reading the source (0 for synthetic data)
 * @param elapsed wall time of the replay, flush included
 * @param interrupted whether the replay was stopped by an interrupt before the end
 * @param firstError the first send failure, or null
 */
public record ReplaySummary(
        long selected,
        long sent,
        long acknowledged,
        long failed,
        long malformed,
        Duration elapsed,
        boolean interrupted,
        String firstError) {

    /** Acknowledged events per second of wall time. */
    public double meanEventsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? acknowledged / s : 0;
    }

    /** Every selected event sent and acknowledged, nothing failed, not interrupted. */
    public boolean complete() {
        return failed == 0 && firstError == null && !interrupted && acknowledged == selected;
    }

    /** One line, e.g. {@code sent 100,000 (acked 100,000, failed 0), malformed 0, elapsed 2.1 s, mean 47,619 events/s}. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "sent %,d of %,d (acked %,d, failed %,d), malformed %,d, elapsed %.1f s, mean %,.0f events/s%s",
                sent,
                selected,
                acknowledged,
                failed,
                malformed,
                elapsed.toNanos() / 1e9,
                meanEventsPerSecond(),
                interrupted ? ", INTERRUPTED" : "");
    }
}
