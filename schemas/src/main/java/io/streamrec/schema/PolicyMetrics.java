package io.streamrec.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of the {@code metrics} topic: the prequential (test-then-learn) evaluation of one policy over one
 * window of the replay, or cumulatively since the start (see {@code metrics.schema.json}).
 */
public class PolicyMetrics implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String SCOPE_EVENTS = "window-events";
    public static final String SCOPE_DAY = "window-day";
    public static final String SCOPE_CUMULATIVE = "cumulative";
    /**
     * A closed-loop cohort's window of finished sessions (written by the simulated users, not the evaluator):
     * {@code count} sessions, values {@code return}, {@code ctr}, {@code satisfaction}, {@code sessionLength}.
     */
    public static final String SCOPE_CLOSED_LOOP = "closed-loop-sessions";

    public String policy;
    /** {@link #SCOPE_EVENTS}, {@link #SCOPE_DAY}, {@link #SCOPE_CUMULATIVE} or {@link #SCOPE_CLOSED_LOOP}. */
    public String scope;

    public int k;
    /** Event time (epoch ms) of the first and last event of the window. */
    public long windowStart;

    public long windowEnd;
    /** Number of the stream's rating events seen up to windowEnd. */
    public long eventsSeen;
    /** Slates finalised (judged against the user's later ratings, or flushed) in the window. */
    public long count;
    /** Metric name → value, e.g. {@code ndcg@10}, {@code hit@10}, {@code mrr}, {@code reward}, {@code coverage}. */
    public Map<String, Double> values = new LinkedHashMap<>();

    public PolicyMetrics() {}

    @Override
    public String toString() {
        return "PolicyMetrics{" + policy + ", " + scope + ", [" + windowStart + ", " + windowEnd + "], n=" + count
                + ", " + values + '}';
    }
}
