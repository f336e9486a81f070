package io.streamrec.schema;

import java.util.List;

/** Default names of the topics streamrec reads and writes; each has a schema file {@code schemas/<name>.schema.json}
 * (or shares one, see {@link TopicSchemas}). */
public final class Topics {
    public static final String RATINGS = "ratings";
    public static final String RECOMMENDATIONS = "recommendations";
    public static final String TRANSITIONS = "transitions";
    public static final String ACTOR_WEIGHTS = "actor-weights";
    public static final String METRICS = "metrics";
    public static final String RATINGS_DLQ = "ratings-dlq";
    /** Every policy's slate (DRR and the baselines), optional; its records are recommendations (same schema). */
    public static final String POLICY_SLATES = "policy-slates";

    public static final List<String> ALL = List.of(RATINGS, RECOMMENDATIONS, TRANSITIONS, ACTOR_WEIGHTS, METRICS, RATINGS_DLQ, POLICY_SLATES);

    private Topics() {}
}
