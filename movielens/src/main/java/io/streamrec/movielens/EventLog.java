package io.streamrec.movielens;

import io.streamrec.schema.RatingEvent;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory, append-only log of rating events stored column by column.
 *
 * <p>Replay must sort a whole file by time before sending; as objects, ml-25m's 25M ratings would take ~1.5 GB of
 * headers and pointers, as four primitive columns they take 20 bytes each.
 */
public final class EventLog {
    private int[] users;
    private int[] items;
    private float[] ratings;
    private long[] timestamps;
    private int size;

    public EventLog() {
        this(1024);
    }

    public EventLog(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        users = new int[c];
        items = new int[c];
        ratings = new float[c];
        timestamps = new long[c];
    }

    /** Appends one event; {@code timestampMillis} is epoch milliseconds. */
    public void add(int userId, int itemId, float rating, long timestampMillis) {
        if (size == users.length) {
            grow();
        }
        users[size] = userId;
        items[size] = itemId;
        ratings[size] = rating;
        timestamps[size] = timestampMillis;
        size++;
    }

    public void add(RatingEvent e) {
        add(e.userId, e.itemId, e.rating, e.timestamp);
    }

    public int size() {
        return size;
    }

    public int userId(int i) {
        check(i);
        return users[i];
    }

    public int itemId(int i) {
        check(i);
        return items[i];
    }

    public float rating(int i) {
        check(i);
        return ratings[i];
    }

    /** Epoch milliseconds. */
    public long timestamp(int i) {
        check(i);
        return timestamps[i];
    }

    /** Event {@code i} as a fresh object (the log itself keeps no objects). */
    public RatingEvent get(int i) {
        check(i);
        return new RatingEvent(users[i], items[i], ratings[i], timestamps[i]);
    }

    /** A read-only view; each {@code get} builds a new {@link RatingEvent}. */
    public List<RatingEvent> asList() {
        return new AbstractList<>() {
            @Override
            public RatingEvent get(int index) {
                return EventLog.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    public boolean isSortedByTime() {
        for (int i = 1; i < size; i++) {
            if (timestamps[i] < timestamps[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Sorts in place by timestamp; events with equal timestamps keep their insertion (file) order. Returns this. */
    public EventLog sortByTime() {
        if (isSortedByTime()) {
            return this;
        }
        applyOrder(StableTimeSort.order(timestamps, size));
        return this;
    }

    /**
     * A copy in the order a deterministic replay of the streaming job processes events: by timestamp, then user id,
     * each user's events of one timestamp in this log's order (one user's events travel one Kafka partition in order).
     */
    public EventLog orderedByTimeThenUser() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        java.util.Arrays.sort(
                idx,
                java.util.Comparator.comparingLong((Integer i) -> timestamps[i])
                        .thenComparingInt(i -> users[i])); // stable: equal keys keep this log's order
        EventLog copy = new EventLog(size);
        for (int i : idx) copy.add(users[i], items[i], ratings[i], timestamps[i]);
        return copy;
    }

    /** Index of the first event with {@code timestamp >= tsMillis} ({@link #size()} when none); the log must be sorted. */
    public int firstIndexAtOrAfter(long tsMillis) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamps[mid] < tsMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    void applyOrder(int[] order) {
        // One column at a time so the extra memory is one column, not a second copy of the log.
        int[] u = new int[size];
        for (int i = 0; i < size; i++) u[i] = users[order[i]];
        users = u;
        int[] it = new int[size];
        for (int i = 0; i < size; i++) it[i] = items[order[i]];
        items = it;
        float[] r = new float[size];
        for (int i = 0; i < size; i++) r[i] = ratings[order[i]];
        ratings = r;
        long[] t = new long[size];
        for (int i = 0; i < size; i++) t[i] = timestamps[order[i]];
        timestamps = t;
    }

    private void grow() {
        long wanted = (long) users.length + (users.length >> 1) + 16;
        int c = (int) Math.min(wanted, Integer.MAX_VALUE - 8);
        if (c <= users.length) {
            throw new IllegalStateException("event log full at " + size + " events");
        }
        users = Arrays.copyOf(users, c);
        items = Arrays.copyOf(items, c);
        ratings = Arrays.copyOf(ratings, c);
        timestamps = Arrays.copyOf(timestamps, c);
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of " + size);
        }
    }
}
