package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.SplittableRandom;

/** Uniformly random unrated items; the floor every other policy must beat. Deterministic per request. */
public final class RandomPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final long seed;

    public RandomPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.seed = ctx.seed();
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        return sample(
                catalog,
                r.ratedItems,
                k,
                new SplittableRandom(seed ^ (r.requestId == null ? 0 : r.requestId.hashCode() * 0x9E3779B97F4A7C15L)));
    }

    /** k distinct unrated items drawn uniformly (fewer when fewer remain). */
    static Slate sample(ItemCatalog catalog, int[] rated, int k, SplittableRandom rnd) {
        int n = catalog.size();
        int[] excluded = rated == null ? new int[0] : Scoring.excludedIndexes(catalog, rated);
        int available = n - excluded.length;
        int want = Math.min(k, Math.max(0, available));
        int[] ids = new int[want];
        float[] scores = new float[want];
        if (available < n / 4) {
            // Mostly excluded (a closed loop's candidate set): rejection would draw ~n/available times per item, so
            // list what is left and draw from it (a partial Fisher–Yates shuffle).
            int[] left = new int[available];
            int m = 0, e = 0;
            for (int i = 0; i < n; i++) {
                while (e < excluded.length && excluded[e] < i) e++;
                if (e < excluded.length && excluded[e] == i) continue;
                left[m++] = i;
            }
            for (int got = 0; got < want; got++) {
                int j = got + rnd.nextInt(m - got);
                int t = left[got];
                left[got] = left[j];
                left[j] = t;
                ids[got] = catalog.itemIdAt(left[got]);
                scores[got] = (float) (want - got) / want;
            }
            return Slate.of(ids, scores);
        }
        java.util.BitSet taken = new java.util.BitSet(n);
        int got = 0;
        while (got < want) {
            int i = rnd.nextInt(n);
            if (taken.get(i)) continue;
            taken.set(i);
            int id = catalog.itemIdAt(i);
            if (Scoring.rated(rated, id)) continue;
            ids[got] = id;
            scores[got] = (float) (want - got) / want;
            got++;
        }
        return Slate.of(ids, scores);
    }

    @Override
    public void update(RecommendationRequest r) {}
}
