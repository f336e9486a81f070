package io.streamrec.eval.flink;

/** One event's work for one genre's Q-table (a Flink POJO): recommend from it, and learn when the item has the genre. */
public class GenreTask {
    public String genre;
    public String requestId;
    public int userId;
    public int triggerItemId;
    public float triggerRating;
    public long eventTime;
    public boolean learn;
    /** Whether a partial slate is wanted (the user is in the evaluation slice). */
    public boolean recommend = true;
    /** How many genres this event fans out to (the merge waits for as many partial slates). */
    public int expected;

    public int[] ratedItems;

    public GenreTask() {}
}
