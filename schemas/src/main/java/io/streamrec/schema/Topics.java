package io.streamrec.schema;

import java.util.List;

/** Default names of the topics streamrec reads and writes; each has a schema file {@code schemas/<name>.schema.json}. */
public final class Topics {
    public static final String RATINGS = "ratings";
    public static final String RECOMMENDATIONS = "recommendations";
    public static final String TRANSITIONS = "transitions";
    public static final String ACTOR_WEIGHTS = "actor-weights";
    public static final String METRICS = "metrics";
    public static final String RATINGS_DLQ = "ratings-dlq";

    public static final List<String> ALL = List.of(RATINGS, RECOMMENDATIONS, TRANSITIONS, ACTOR_WEIGHTS, METRICS, RATINGS_DLQ);

    private Topics() {}
}
