package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;

/**
 * Sequential rules (SR, Ludewig &amp; Jannach 2018, "Evaluation of session-based recommendation algorithms"): a rule
 * a → b gains weight 1/d each time a user rates b positively d ≤ {@link #STEPS} positives after a; a user's score for
 * item b is the weight of the rule from their latest positive item to b. Order-aware where item-kNN is not: only what
 * followed the latest item counts, the nearer the more. Online and incremental: one update per positive rating, over
 * the user's positive-history window (so {@link #STEPS} is capped by the window size); ties broken by positive count.
 */
public final class SequentialRulesPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    /** The largest distance a rule spans: the paper's default. */
    static final int STEPS = 10;
    /** The weights 1/d, d = 1..10, as exact integers in units of 1/2520 (the least common multiple of 1..10). */
    private static final int UNIT = 2520;

    private final ItemCatalog catalog;
    private final double threshold;
    private final int[] positives;
    private final IntCounts[] rules; // per item index: rule weights to the items that followed it

    public SequentialRulesPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.positives = new int[catalog.size()];
        this.rules = new IntCounts[catalog.size()];
    }

    @Override
    public String name() {
        return "sr";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        float[] scores = new float[catalog.size()];
        for (int j = 0; j < scores.length; j++) scores[j] = 1e-7f * positives[j];
        int last = r.window.length == 0 ? -1 : catalog.indexOf(r.window[r.window.length - 1]);
        IntCounts row = last < 0 ? null : rules[last];
        if (row != null) {
            for (int slot = 0; slot < row.capacity(); slot++) {
                int j = row.keyAt(slot);
                if (j >= 0) scores[j] += (float) row.countAt(slot) / UNIT;
            }
        }
        return Scoring.topK(catalog, scores, k, r.ratedItems);
    }

    /** A positive rating is the window's newest item: each of the (up to STEPS) items before it gains a rule to it. */
    @Override
    public void update(RecommendationRequest r) {
        if (r.triggerRating < threshold || r.window.length == 0) return;
        int newest = r.window.length - 1;
        int b = catalog.indexOf(r.window[newest]);
        if (b < 0 || r.window[newest] != r.triggerItemId) return;
        positives[b]++;
        for (int p = Math.max(0, newest - STEPS); p < newest; p++) {
            int a = catalog.indexOf(r.window[p]);
            if (a < 0 || a == b) continue;
            if (rules[a] == null) rules[a] = new IntCounts();
            rules[a].add(b, UNIT / (newest - p));
        }
    }

    /** The weight of the rule a → b (item ids) so far; for tests. */
    public double rule(int itemA, int itemB) {
        int a = catalog.indexOf(itemA), b = catalog.indexOf(itemB);
        if (a < 0 || b < 0 || rules[a] == null) return 0;
        return (double) rules[a].get(b) / UNIT;
    }
}
