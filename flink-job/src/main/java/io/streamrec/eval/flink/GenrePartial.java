package io.streamrec.eval.flink;

/** One genre's best actions for one event, with their Q-values (a Flink POJO). */
public class GenrePartial {
    public String requestId;
    public String genre;
    public int userId;
    public long eventTime;
    public int expected;
    public int[] items;
    public float[] values;
    public int[] ratedItems;

    public GenrePartial() {}
}
