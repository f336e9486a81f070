package io.streamrec.policy;

import io.streamrec.state.RecommendationRequest;
import java.io.Serializable;

/**
 * A recommendation policy evaluated prequentially: for each rating event it first {@link #recommend recommends}
 * from what it learned from earlier events only, then {@link #update learns} from the event. The request carries
 * the user's history up to and including the event (as the DRR actor sees it). Implementations are serialisable
 * so the Flink operator that runs them can checkpoint them. Adding a policy: one class + one line in
 * {@link Policies}.
 */
public interface Policy extends Serializable {
    /** The tag on its recommendations, e.g. {@code popularity}. */
    String name();

    /** At most {@code k} items (ids, best first) the user has not rated, with their scores. */
    Slate recommend(RecommendationRequest request, int k);

    /** Learns from the event that triggered {@code request}. */
    void update(RecommendationRequest request);
}
