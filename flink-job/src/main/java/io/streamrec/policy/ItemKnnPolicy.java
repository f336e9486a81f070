package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;

/**
 * Incremental item-to-item kNN on positive co-occurrence. When a user rates an item positively, it co-occurs once
 * with each other item of the user's positive-history window; similarity is cosine over the binary user vectors,
 * cooc(i, j) / sqrt(n_i · n_j). A user's score for item j is the summed similarity of j to the window items (the
 * item-based CF of Sarwar et al., restricted to the window); ties broken by positive count.
 */
public final class ItemKnnPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double threshold;
    private final int[] positives;
    private final IntCounts[] cooc; // per item index: co-occurrence counts by item index (null = none yet)

    public ItemKnnPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.positives = new int[catalog.size()];
        this.cooc = new IntCounts[catalog.size()];
    }

    @Override
    public String name() {
        return "itemknn";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        float[] scores = new float[catalog.size()];
        for (int j = 0; j < scores.length; j++) scores[j] = 1e-7f * positives[j];
        for (int item : r.window) {
            int i = catalog.indexOf(item);
            if (i < 0) continue;
            IntCounts row = cooc[i];
            if (row == null) continue;
            for (int slot = 0; slot < row.capacity(); slot++) {
                int j = row.keyAt(slot);
                if (j < 0) continue;
                scores[j] += (float) (row.countAt(slot) / Math.sqrt((double) positives[i] * positives[j]));
            }
        }
        return Scoring.topK(catalog, scores, k, r.ratedItems);
    }

    @Override
    public void update(RecommendationRequest r) {
        if (r.triggerRating < threshold) return;
        int a = catalog.indexOf(r.triggerItemId);
        if (a < 0) return;
        positives[a]++;
        for (int item : r.window) {
            int i = catalog.indexOf(item);
            if (i < 0 || i == a) continue;
            row(a).increment(i);
            row(i).increment(a);
        }
    }

    private IntCounts row(int index) {
        if (cooc[index] == null) cooc[index] = new IntCounts();
        return cooc[index];
    }

    /** Cosine similarity of two items (by id) so far; for tests. */
    public double similarity(int itemA, int itemB) {
        int a = catalog.indexOf(itemA), b = catalog.indexOf(itemB);
        if (a < 0 || b < 0 || cooc[a] == null || cooc[a].get(b) == 0) return 0;
        return cooc[a].get(b) / Math.sqrt((double) positives[a] * positives[b]);
    }
}
