package io.streamrec.serving;

import io.streamrec.model.ActorWeights;
import io.streamrec.state.RecommendationRequest;

/** Exposes the package-private {@link ReferenceActor} oracle to the learner tests. */
public final class LearnerReferenceBridge {
    private final ReferenceActor reference;

    public LearnerReferenceBridge(ActorWeights weights) {
        this.reference = new ReferenceActor(weights);
    }

    public double[] action(RecommendationRequest req) {
        return reference.action(req);
    }
}
