package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.HashMap;
import java.util.Map;

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
    private final Map<Integer, Map<Integer, Integer>> cooc = new HashMap<>();

    public ItemKnnPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.positives = new int[catalog.size()];
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
            Map<Integer, Integer> row = cooc.get(i);
            if (row == null) continue;
            for (Map.Entry<Integer, Integer> e : row.entrySet()) {
                int j = e.getKey();
                scores[j] += (float) (e.getValue() / Math.sqrt((double) positives[i] * positives[j]));
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
            cooc.computeIfAbsent(a, x -> new HashMap<>()).merge(i, 1, Integer::sum);
            cooc.computeIfAbsent(i, x -> new HashMap<>()).merge(a, 1, Integer::sum);
        }
    }

    /** Cosine similarity of two items (by id) so far; for tests. */
    public double similarity(int itemA, int itemB) {
        int a = catalog.indexOf(itemA), b = catalog.indexOf(itemB);
        Map<Integer, Integer> row = cooc.get(a);
        if (row == null || !row.containsKey(b)) return 0;
        return row.get(b) / Math.sqrt((double) positives[a] * positives[b]);
    }
}
