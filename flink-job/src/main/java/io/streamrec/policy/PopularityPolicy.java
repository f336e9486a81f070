package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig.ConfigKey;
import io.streamrec.state.RecommendationRequest;

/**
 * Time-decayed popularity: each rating adds weight exp(-ln2 · age / halfLife) to its item, so an item's score is
 * its rating count with a configurable half-life in event time. Kept in forward-decay form (weights grow as
 * exp(λ(t − t0)) and are rescaled when large), so an update costs O(1) and a ranking one pass.
 */
public final class PopularityPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double lambdaPerMs;
    private final float[] weights;
    private long reference = Long.MIN_VALUE;

    public PopularityPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        double halfLifeDays = ctx.config().getDouble(ConfigKey.POPULARITY_HALF_LIFE_DAYS);
        this.lambdaPerMs = halfLifeDays <= 0 ? 0 : Math.log(2) / (halfLifeDays * 86_400_000.0);
        this.weights = new float[catalog.size()];
    }

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        return Scoring.topK(catalog, weights, k, r.ratedItems);
    }

    @Override
    public void update(RecommendationRequest r) {
        int i = catalog.indexOf(r.triggerItemId);
        if (i < 0) return;
        long t = r.eventTime;
        if (reference == Long.MIN_VALUE) reference = t;
        double exponent = lambdaPerMs * (t - reference);
        if (exponent > 30) { // rescale every weight to the new reference time
            float f = (float) Math.exp(-exponent);
            for (int j = 0; j < weights.length; j++) weights[j] *= f;
            reference = t;
            exponent = 0;
        }
        weights[i] += (float) Math.exp(Math.max(exponent, -30));
    }
}
