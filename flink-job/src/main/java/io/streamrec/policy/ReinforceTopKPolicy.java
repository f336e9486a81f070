package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.TopK;
import io.streamrec.state.RecommendationRequest;
import java.util.Random;

/**
 * REINFORCE with the top-K off-policy correction (Chen et al. 2019, "Top-K Off-Policy Correction for a REINFORCE
 * Recommender System"), online, one update per event.
 *
 * <ul>
 *   <li>State s: the mean of learned input embeddings of the user's positive window before the event.
 *   <li>Policy π(i|s) = softmax over the catalogue of s·x_i + b_i.
 *   <li>Behaviour head β(i|s) = softmax of s·z_i + c_i, fitted by maximum likelihood to the logged actions (what the
 *       users consumed, whoever recommended it), its gradient blocked from the state.
 *   <li>Update on each logged action a with reward r = (rating − 3)/2: ascend
 *       λ_K · min(π(a|s)/β(a|s), c) · r · ∇ log π(a|s), with the top-K multiplier λ_K = K(1 − π(a|s))^(K−1) (the
 *       probability mass of a in a slate of K samples) and the importance weight capped at c.
 *   <li>Slate: K items sampled from π without replacement (Boltzmann: Gumbel-top-k), rated items excluded.
 * </ul>
 * Hyper-parameters are fixed here (embedding 16, learning rates 0.05 / 0.05, cap 10, K = the slate size asked).
 */
public final class ReinforceTopKPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    static final int DIM = 16;
    static final float LR = 0.05f;
    static final float BEHAVIOUR_LR = 0.05f;
    static final float CAP = 10f;

    private final ItemCatalog catalog;
    private final float[] input; // items × DIM: the state's embeddings of window items
    private final float[] policy; // items × DIM
    private final float[] policyBias;
    private final float[] behaviour; // items × DIM
    private final float[] behaviourBias;
    private final Random rnd;
    private int slateSize = 10;
    private long updates;
    private double meanWeight;

    public ReinforceTopKPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        int n = catalog.size();
        this.rnd = new Random(ctx.seed() + 31);
        this.input = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.policy = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.policyBias = new float[n];
        this.behaviour = ItemEmbeddings.gaussian(rnd, n * DIM, 0.1);
        this.behaviourBias = new float[n];
    }

    @Override
    public String name() {
        return "reinforce";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        slateSize = k;
        float[] s = ItemEmbeddings.meanState(input, ItemEmbeddings.rows(catalog, r.window), DIM);
        float[] scores = ItemEmbeddings.logits(s, policy, policyBias);
        // Gumbel-top-k: the k largest of logit + Gumbel noise are k samples of the softmax without replacement.
        float[] perturbed = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double u = Math.max(rnd.nextDouble(), 1e-12);
            perturbed[i] = (float) (scores[i] - Math.log(-Math.log(u)));
        }
        int[] top = TopK.select(perturbed, 0, perturbed.length, k, Scoring.excludedIndexes(catalog, r.ratedItems));
        return Scoring.slateOf(catalog, scores, top);
    }

    @Override
    public void update(RecommendationRequest r) {
        int a = catalog.indexOf(r.triggerItemId);
        if (a < 0) return;
        // The state the action was taken in: the window before this event (it ends with the item if it was liked).
        int[] rows = ItemEmbeddings.rows(catalog, ItemEmbeddings.windowBefore(r.window, r.triggerItemId));
        float[] s = ItemEmbeddings.meanState(input, rows, DIM);
        float[] pi = ItemEmbeddings.softmax(ItemEmbeddings.logits(s, policy, policyBias));
        float[] beta = ItemEmbeddings.softmax(ItemEmbeddings.logits(s, behaviour, behaviourBias));
        float reward = (r.triggerRating - 3f) / 2f;
        float weight = Math.min(pi[a] / Math.max(beta[a], 1e-8f), CAP);
        float lambdaK = (float) (slateSize * Math.pow(1 - pi[a], slateSize - 1));
        float g = LR * lambdaK * weight * reward;
        meanWeight += (weight - meanWeight) / ++updates;

        // ∇ log π(a|s): logits' gradient onehot(a) − π; state gradient x_a − Σ π_i x_i (to the window's inputs).
        float[] ds = new float[DIM];
        int n = catalog.size();
        for (int i = 0; i < n; i++) {
            float gi = (i == a ? 1f : 0f) - pi[i];
            if (g != 0) {
                for (int f = 0, o = i * DIM; f < DIM; f++) {
                    ds[f] += gi * policy[o + f];
                    policy[o + f] += g * gi * s[f];
                }
                policyBias[i] += g * gi;
            }
        }
        // the behaviour head: maximum likelihood of the logged action, no gradient into the state
        ItemEmbeddings.fitChoice(s, behaviour, behaviourBias, a, BEHAVIOUR_LR);
        if (g != 0 && rows.length > 0) {
            float share = g / rows.length;
            for (int j : rows) for (int f = 0; f < DIM; f++) input[j * DIM + f] += share * ds[f];
        }
    }

    /** Mean importance weight π/β (capped) over the updates so far: how far the policy has moved off the log. */
    public double meanImportanceWeight() {
        return meanWeight;
    }
}
