package io.streamrec.schema;

import java.util.Objects;

/** One explicit rating on the {@code ratings} topic (see {@code schemas/ratings.schema.json}). */
public class RatingEvent implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public int userId;
    public int itemId;
    /** Stars, 0.5 to 5.0. */
    public float rating;
    /** Event time, Unix epoch milliseconds. */
    public long timestamp;

    public RatingEvent() {}

    public RatingEvent(int userId, int itemId, float rating, long timestamp) {
        this.userId = userId;
        this.itemId = itemId;
        this.rating = rating;
        this.timestamp = timestamp;
    }

    /** The deterministic id of the request this event triggers; the same on every replay. */
    public String requestId() {
        return userId + "-" + itemId + "-" + timestamp;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RatingEvent e)) return false;
        return userId == e.userId
                && itemId == e.itemId
                && Float.compare(rating, e.rating) == 0
                && timestamp == e.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, itemId, rating, timestamp);
    }

    @Override
    public String toString() {
        return "RatingEvent{user=" + userId + ", item=" + itemId + ", rating=" + rating + ", ts=" + timestamp + '}';
    }
}
