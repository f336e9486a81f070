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

    /**
     * {@code max.message.bytes} of the ratings and ratings-dlq topics (2 MiB): a ~1 MB bad record must reach the job,
     * and its dead letter (base64, a third larger, see {@code dlq.max.payload.bytes}) must fit the DLQ topic.
     */
    public static final int LARGE_RECORD_MAX_BYTES = 2 * 1024 * 1024;

    public static final List<String> ALL =
            List.of(RATINGS, RECOMMENDATIONS, TRANSITIONS, ACTOR_WEIGHTS, METRICS, RATINGS_DLQ, POLICY_SLATES);

    private Topics() {}
}
