package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.TopK;
import io.streamrec.state.RecommendationRequest;
import java.util.Random;

/**
 * SlateQ (Ie et al. 2019, "SlateQ: A Tractable Decomposition for Reinforcement Learning with Recommendation Sets"),
 * online, one update per event. The value of a slate decomposes into item-level long-term values under the
 * conditional-logit choice model: Q(s, A) = Σ_{i∈A} P(i | s, A) · Q(s, i), P(i | s, A) = v(s, i) / (v_∅ + Σ_{j∈A} v(s, j)).
 *
 * <ul>
 *   <li>State s: the mean of learned input embeddings of the user's positive window.
 *   <li>Choice model v(s, i) = n · softmax_i(s·z_i + c_i) (an average item has v ≈ 1), fitted by maximum likelihood
 *       to the consumed items; the no-choice weight v_∅ is fixed at the slate size.
 *   <li>Item value Q(s, i) = s·q_i + d_i, learned by TD(0) on each consumed item a with reward r = (rating − 3)/2:
 *       Q(s, a) ← r + γ · Q(s', A'), A' the slate the policy would show in the next state s'.
 *   <li>Slate: the top-k items by v(s, i) · Q(s, i) (the paper's top-k heuristic), rated items excluded.
 * </ul>
 * Hyper-parameters are fixed here (embedding 16, γ 0.5, learning rates 0.05).
 */
public final class SlateQPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    static final int DIM = 16;
    static final float GAMMA = 0.5f;
    static final float LR = 0.05f;
    static final float CHOICE_LR = 0.05f;

    private final ItemCatalog catalog;
    private final float[] input; // items × DIM: the state's embeddings of window items
    private final float[] value; // items × DIM: q_i
    private final float[] valueBias;
    private final float[] choice; // items × DIM: z_i
    private final float[] choiceBias;
    private int slateSize = 10;
    private double meanTdError;
    private long updates;

    public SlateQPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        int n = catalog.size();
        Random rnd = new Random(ctx.seed() + 43);
        this.input = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.value = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.valueBias = new float[n];
        this.choice = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.choiceBias = new float[n];
    }

    @Override
    public String name() {
        return "slateq";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        slateSize = k;
        float[] s = ItemEmbeddings.meanState(input, ItemEmbeddings.rows(catalog, r.window), DIM);
        float[] v = choiceWeights(s);
        float[] q = ItemEmbeddings.logits(s, value, valueBias);
        float[] score = new float[q.length];
        for (int i = 0; i < q.length; i++) score[i] = v[i] * q[i];
        int[] top = TopK.select(score, 0, score.length, k, Scoring.excludedIndexes(catalog, r.ratedItems));
        return Scoring.slateOf(catalog, score, top);
    }

    @Override
    public void update(RecommendationRequest r) {
        int a = catalog.indexOf(r.triggerItemId);
        if (a < 0) return;
        int[] before = ItemEmbeddings.rows(catalog, ItemEmbeddings.windowBefore(r.window, r.triggerItemId));
        float[] s = ItemEmbeddings.meanState(input, before, DIM);
        float[] next = ItemEmbeddings.meanState(input, ItemEmbeddings.rows(catalog, r.window), DIM);

        // Target: r + γ · Q(s', A'), A' = the top-k of v·Q in s' (rated items are not excluded here: an estimate).
        float[] vNext = choiceWeights(next);
        float[] qNext = ItemEmbeddings.logits(next, value, valueBias);
        float[] score = new float[qNext.length];
        for (int i = 0; i < score.length; i++) score[i] = vNext[i] * qNext[i];
        int[] slate = TopK.select(score, 0, score.length, slateSize, null);
        double mass = slateSize; // v_∅
        for (int i : slate) mass += vNext[i];
        double slateValue = 0;
        for (int i : slate) slateValue += vNext[i] / mass * qNext[i];
        float reward = (r.triggerRating - 3f) / 2f;
        float q = valueBias[a];
        for (int f = 0; f < DIM; f++) q += s[f] * value[a * DIM + f];
        float td = (float) (reward + GAMMA * slateValue - q);
        meanTdError += (Math.abs(td) - meanTdError) / ++updates;

        // TD step on q_a, d_a and the window's input embeddings.
        float[] ds = new float[DIM];
        for (int f = 0; f < DIM; f++) {
            ds[f] = td * value[a * DIM + f];
            value[a * DIM + f] += LR * td * s[f];
        }
        valueBias[a] += LR * td;
        if (before.length > 0) {
            float share = LR / before.length;
            for (int j : before) for (int f = 0; f < DIM; f++) input[j * DIM + f] += share * ds[f];
        }
        // The choice model: maximum likelihood of the consumed item, no gradient into the state.
        ItemEmbeddings.fitChoice(s, choice, choiceBias, a, CHOICE_LR);
    }

    /** Mean |TD error| over the updates so far. */
    public double meanAbsTdError() {
        return meanTdError;
    }

    /** v(s, ·) scaled so that an average item weighs 1. */
    private float[] choiceWeights(float[] s) {
        float[] p = ItemEmbeddings.softmax(ItemEmbeddings.logits(s, choice, choiceBias));
        for (int i = 0; i < p.length; i++) p[i] *= p.length;
        return p;
    }
}
