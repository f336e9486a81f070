package io.streamrec.serving;

import java.io.Serializable;
import java.util.function.IntPredicate;

/**
 * The users whose noise-free (greedy) slate is selected beside the served one. The greedy slate exists only to be
 * judged (the {@code drr-greedy} row), so the job passes the evaluation's user slice; selecting it for everybody
 * would double the top-k work of serving.
 */
@FunctionalInterface
public interface GreedySlates extends IntPredicate, Serializable {
    GreedySlates EVERY_USER = userId -> true;
}
