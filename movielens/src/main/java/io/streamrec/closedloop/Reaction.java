package io.streamrec.closedloop;

/**
 * What one simulated user did with one slate (or, {@code organic}, on their own): the item consumed (−1: none of
 * the slate), the rating the stream carries, the engagement in minutes, the event time, whether the session ended
 * with this step, and the user's satisfaction after it.
 */
public record Reaction(
        int userId,
        int itemId,
        float rating,
        double engagement,
        long timestamp,
        boolean organic,
        boolean sessionEnded,
        double satisfaction) {

    public boolean chose() {
        return itemId >= 0 && !organic;
    }
}
