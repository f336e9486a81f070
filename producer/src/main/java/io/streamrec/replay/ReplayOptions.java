package io.streamrec.replay;

import io.streamrec.movielens.EventLog;
import io.streamrec.schema.Topics;

/**
 * What to replay and how fast.
 *
 * @param topic target topic
 * @param speed replay at this multiple of real time, from the events' timestamp deltas; 0 = not time-paced
 * @param maxRate at most this many events per second; 0 = no cap
 * @param limit send at most this many events
 * @param startTimeMillis skip events before this epoch-millisecond instant; {@code Long.MIN_VALUE} = from the start
 * @param skip then skip this many more events
 * @param progressIntervalMillis how often a progress line is printed; 0 = never
 */
public record ReplayOptions(
        String topic,
        double speed,
        double maxRate,
        long limit,
        long startTimeMillis,
        long skip,
        long progressIntervalMillis) {

    public ReplayOptions {
        if (topic == null || topic.isBlank()) throw new IllegalArgumentException("topic must not be empty");
        if (!(speed >= 0) || Double.isInfinite(speed))
            throw new IllegalArgumentException("speed must be > 0 (or 0 for unpaced), got " + speed);
        if (!(maxRate >= 0) || Double.isInfinite(maxRate))
            throw new IllegalArgumentException("max rate must be > 0 (or 0 for no cap), got " + maxRate);
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        if (skip < 0) throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        if (progressIntervalMillis < 0) throw new IllegalArgumentException("progress interval must be >= 0");
    }

    /** Everything, as fast as possible, to the {@code ratings} topic, with a progress line a second. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(Topics.RATINGS, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 1000);
    }

    public ReplayOptions withTopic(String t) {
        return new ReplayOptions(t, speed, maxRate, limit, startTimeMillis, skip, progressIntervalMillis);
    }

    public ReplayOptions withSpeed(double s) {
        return new ReplayOptions(topic, s, maxRate, limit, startTimeMillis, skip, progressIntervalMillis);
    }

    public ReplayOptions withMaxRate(double r) {
        return new ReplayOptions(topic, speed, r, limit, startTimeMillis, skip, progressIntervalMillis);
    }

    public ReplayOptions withLimit(long l) {
        return new ReplayOptions(topic, speed, maxRate, l, startTimeMillis, skip, progressIntervalMillis);
    }

    public ReplayOptions withStartTimeMillis(long t) {
        return new ReplayOptions(topic, speed, maxRate, limit, t, skip, progressIntervalMillis);
    }

    public ReplayOptions withSkip(long s) {
        return new ReplayOptions(topic, speed, maxRate, limit, startTimeMillis, s, progressIntervalMillis);
    }

    public ReplayOptions withProgressIntervalMillis(long p) {
        return new ReplayOptions(topic, speed, maxRate, limit, startTimeMillis, skip, p);
    }

    /** The index range {@code [from, to)} of a time-sorted log that these options select. */
    long[] range(EventLog sorted) {
        long from = startTimeMillis == Long.MIN_VALUE ? 0 : sorted.firstIndexAtOrAfter(startTimeMillis);
        from = Math.min(sorted.size(), from + skip);
        long to = Math.min(sorted.size(), from + Math.min(limit, sorted.size()));
        return new long[] {from, to};
    }
}
