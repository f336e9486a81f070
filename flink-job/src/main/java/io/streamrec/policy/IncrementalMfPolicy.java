package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Incremental matrix factorisation from positive feedback only: online BPR (Rendle et al. 2009) with one SGD pass
 * per event. For a positive rating (u, i) it samples {@code mf.negatives} items j the user has not rated and
 * ascends ln σ(x_ui − x_uj) with x_ui = p_u · q_i + b_i; negative ratings are not learned from. Score = p_u · q_j + b_j.
 */
public final class IncrementalMfPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double threshold;
    private final int dim;
    private final float lr;
    private final float reg;
    private final int negatives;
    private final float[] q; // items × dim
    private final float[] bias; // items
    private final Map<Integer, float[]> users = new HashMap<>();
    private final Random rnd;

    public IncrementalMfPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.dim = ctx.settings().mfFactors();
        this.lr = (float) ctx.settings().mfLearningRate();
        this.reg = (float) ctx.settings().mfRegularisation();
        this.negatives = ctx.settings().mfNegatives();
        this.rnd = new Random(ctx.seed() + 17);
        this.q = new float[catalog.size() * dim];
        for (int i = 0; i < q.length; i++) q[i] = (float) (rnd.nextGaussian() * 0.1);
        this.bias = new float[catalog.size()];
    }

    @Override
    public String name() {
        return "mf";
    }

    private float[] user(int userId) {
        return users.computeIfAbsent(userId, u -> {
            float[] p = new float[dim];
            for (int f = 0; f < dim; f++) p[f] = (float) (rnd.nextGaussian() * 0.1);
            return p;
        });
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        float[] p = users.get(r.userId);
        float[] scores = new float[catalog.size()];
        for (int j = 0; j < scores.length; j++) {
            float s = bias[j];
            if (p != null) for (int f = 0, o = j * dim; f < dim; f++) s += p[f] * q[o + f];
            scores[j] = s;
        }
        return Scoring.topK(catalog, scores, k, r.ratedItems);
    }

    @Override
    public void update(RecommendationRequest r) {
        if (r.triggerRating < threshold) return;
        int i = catalog.indexOf(r.triggerItemId);
        if (i < 0) return;
        float[] p = user(r.userId);
        float[] grad = new float[dim];
        for (int s = 0; s < negatives; s++) {
            int j = rnd.nextInt(catalog.size());
            if (j == i || Scoring.rated(r.ratedItems, catalog.itemIdAt(j))) continue;
            int oi = i * dim, oj = j * dim;
            float x = bias[i] - bias[j];
            for (int f = 0; f < dim; f++) x += p[f] * (q[oi + f] - q[oj + f]);
            float g = (float) (1.0 / (1.0 + Math.exp(x))); // σ(−x)
            for (int f = 0; f < dim; f++) {
                float pf = p[f];
                grad[f] = g * (q[oi + f] - q[oj + f]) - reg * pf;
                q[oi + f] += lr * (g * pf - reg * q[oi + f]);
                q[oj + f] += lr * (-g * pf - reg * q[oj + f]);
            }
            for (int f = 0; f < dim; f++) p[f] += lr * grad[f];
            bias[i] += lr * (g - reg * bias[i]);
            bias[j] += lr * (-g - reg * bias[j]);
        }
    }
}
