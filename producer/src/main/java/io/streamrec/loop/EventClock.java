package io.streamrec.loop;

import java.util.HashMap;
import java.util.Map;

/**
 * Event times for the closed loop's ratings: each simulated user keeps its own clock (its sessions, engagement and
 * return gaps), but users advance at different speeds through the loop, so their clocks drift apart. Each user's
 * clock is shifted by an offset that only grows and keeps the stream's time non-decreasing: a user's gaps are kept or
 * lengthened, never shortened, and the job's watermarks never see a rating from far in the past.
 */
final class EventClock {
    private final Map<Integer, Long> offsets = new HashMap<>();
    private long now = Long.MIN_VALUE;

    /** The stream time for user {@code userId} at its own clock {@code userTime}. */
    long stamp(int userId, long userTime) {
        long offset = offsets.getOrDefault(userId, 0L);
        if (userTime + offset < now) {
            offset = now - userTime;
            offsets.put(userId, offset);
        }
        now = userTime + offset;
        return now;
    }
}
