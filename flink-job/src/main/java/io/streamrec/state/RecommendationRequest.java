package io.streamrec.state;

import java.util.Arrays;

/**
 * What the keyed user-state operator hands to the actor for one rating event: the user's positive-history
 * window and the items to exclude. A Flink POJO (public fields, no-arg constructor) so it never falls back to Kryo.
 */
public class RecommendationRequest {
    /** Deterministic id of the triggering event, see {@code RatingEvent#requestId()}. */
    public String requestId;

    public int userId;
    /** The item of the triggering rating event and its stars. */
    public int triggerItemId;

    public float triggerRating;
    /** Event time of the triggering rating, epoch ms. */
    public long eventTime;
    /** Positive-history window, oldest first, at most N item ids (may be empty for a new user). */
    public int[] window;
    /** Every item the user has rated up to and including this event, sorted ascending, no duplicates. */
    public int[] ratedItems;

    public RecommendationRequest() {}

    public RecommendationRequest(
            String requestId,
            int userId,
            int triggerItemId,
            float triggerRating,
            long eventTime,
            int[] window,
            int[] ratedItems) {
        this.requestId = requestId;
        this.userId = userId;
        this.triggerItemId = triggerItemId;
        this.triggerRating = triggerRating;
        this.eventTime = eventTime;
        this.window = window;
        this.ratedItems = ratedItems;
    }

    @Override
    public String toString() {
        return "RecommendationRequest{" + requestId + ", window=" + Arrays.toString(window) + ", rated="
                + (ratedItems == null ? 0 : ratedItems.length) + '}';
    }
}
