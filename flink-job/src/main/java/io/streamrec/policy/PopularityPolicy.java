package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.Arrays;

/**
 * Time-decayed popularity: each rating adds weight exp(-ln2 · age / halfLife) to its item, so an item's score is
 * its rating count with a configurable half-life in event time. Kept in forward-decay form (weights grow as
 * exp(λ(t − t0)) and are rescaled when large), so an update costs O(1) plus moving the item up the kept ranking,
 * and a recommendation O(k + rated items).
 */
public final class PopularityPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double lambdaPerMs;
    private final float[] weights;
    private long reference = Long.MIN_VALUE;
    // Items ranked by weight (order) and each item's position (rank), kept up to date by update(): a recommendation
    // walks the top of the ranking past the rated items instead of scanning every item's weight. Rebuilt after a
    // restore.
    private transient int[] order;
    private transient int[] rank;

    public PopularityPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        double halfLifeDays = ctx.settings().popularityHalfLifeDays();
        this.lambdaPerMs = halfLifeDays <= 0 ? 0 : Math.log(2) / (halfLifeDays * 86_400_000.0);
        this.weights = new float[catalog.size()];
    }

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        if (order == null) buildOrder();
        int[] excluded = Scoring.excludedIndexes(catalog, r.ratedItems);
        int[] picked = new int[Math.min(k, weights.length)];
        int n = 0;
        for (int p = 0; p < order.length && n < picked.length; p++) {
            if (Arrays.binarySearch(excluded, order[p]) < 0) picked[n++] = order[p];
        }
        return Scoring.slateOf(catalog, weights, Arrays.copyOf(picked, n));
    }

    /** The definition {@link #recommend} keeps incrementally: top-k of every item's weight; for tests. */
    Slate recommendByScan(RecommendationRequest r, int k) {
        return Scoring.topK(catalog, weights, k, r.ratedItems);
    }

    /** Whether item index a ranks above b: higher weight, then lower index (the order of {@link io.streamrec.model.TopK}). */
    private boolean above(int a, int b) {
        return weights[a] != weights[b] ? weights[a] > weights[b] : a < b;
    }

    private void buildOrder() {
        Integer[] sorted = new Integer[weights.length];
        for (int i = 0; i < sorted.length; i++) sorted[i] = i;
        Arrays.sort(sorted, (a, b) -> a.equals(b) ? 0 : above(a, b) ? -1 : 1);
        order = new int[sorted.length];
        rank = new int[sorted.length];
        for (int p = 0; p < sorted.length; p++) {
            order[p] = sorted[p];
            rank[sorted[p]] = p;
        }
    }

    /** Item i's weight grew: it moves up past the items it now ranks above (usually a few positions). */
    private void moveUp(int i) {
        int p = rank[i];
        while (p > 0 && above(i, order[p - 1])) {
            order[p] = order[p - 1];
            rank[order[p]] = p;
            p--;
        }
        order[p] = i;
        rank[i] = p;
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
            order = null; // rounding may have created ties: rebuild the ranking when next needed
        }
        weights[i] += (float) Math.exp(Math.max(exponent, -30));
        if (order != null) moveUp(i);
    }
}
