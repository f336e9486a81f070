package io.streamrec.replay;

/**
 * Decides how long to wait before sending the next event so that replay follows event time at a given speed and/or
 * stays under a rate cap. Targets are absolute (from the replay's start), so sleep overshoot does not accumulate.
 */
final class Pacer {
    private final double nanosPerEventMilli;
    private final double nanosPerEvent;
    private long firstEventMillis;
    private boolean started;

    /** {@code speed} and {@code maxRate} of 0 disable that constraint. */
    Pacer(double speed, double maxRate) {
        this.nanosPerEventMilli = speed > 0 ? 1_000_000.0 / speed : 0;
        this.nanosPerEvent = maxRate > 0 ? 1_000_000_000.0 / maxRate : 0;
    }

    boolean paced() {
        return nanosPerEventMilli > 0 || nanosPerEvent > 0;
    }

    /**
     * Nanoseconds after the replay's start at which event number {@code sentSoFar} (0-based, timestamp
     * {@code eventMillis}) may be sent.
     */
    long dueNanos(long sentSoFar, long eventMillis) {
        if (!started) {
            started = true;
            firstEventMillis = eventMillis;
        }
        double byTime = nanosPerEventMilli * Math.max(0, eventMillis - firstEventMillis);
        double byRate = nanosPerEvent * sentSoFar;
        return (long) Math.min(Long.MAX_VALUE, Math.max(byTime, byRate));
    }
}
