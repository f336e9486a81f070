package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.TopK;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>{@code slateq.returns session} replaces the one-step TD value by the Monte-Carlo return of the rest of the
 * session: when a user's session ends (a gap of {@code session.gap.ms} before the next event), each consumed item's
 * continuation — the rewards the session still brought after it — is added to that item's and its genres' means. One
 * step of TD cannot learn what an item does to a hidden state that decides how long the session goes on (RecSim's time
 * budget, which watching good videos refills): the next state's bootstrapped value averages over the hidden state. An
 * item's value is its mean continuation less the mean continuation at the same position in a session (its
 * advantage), shrunk to its genres' (a prior worth {@link #SHRINK} observations, the genres' in turn shrunk to 0), and
 * the slate ranks by v(s, i) · (r̄ + A(i)): the choice weight times the click's reward plus how much more than an
 * average click at that point it buys. The choice model is the same, its likelihood also training the state.
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
    static final double SHRINK = 20;
    static final int POSITIONS = 256;

    private final boolean sessionReturns;
    private final long sessionGap;
    private final int[][] genresOf; // item row → dense genre ids (session returns)
    private final double[] itemSum, genreSum;
    private final long[] itemCount, genreCount;
    private final double[] positionSum = new double[POSITIONS];
    private final long[] positionCount = new long[POSITIONS];
    private double rewardSum;
    private long continuationCount;
    private final Map<Integer, Session> sessions = new HashMap<>();
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
        this.sessionReturns = ctx.settings().slateqSessionReturns();
        this.sessionGap = ctx.settings().sessionGapMs();
        Map<String, Integer> genreIds = new HashMap<>();
        this.genresOf = new int[n][];
        for (int i = 0; i < n; i++) {
            List<String> g = catalog.genresAt(i);
            genresOf[i] = g == null
                    ? new int[0]
                    : g.stream()
                            .mapToInt(x -> genreIds.computeIfAbsent(x, y -> genreIds.size()))
                            .toArray();
        }
        this.itemSum = new double[n];
        this.itemCount = new long[n];
        this.genreSum = new double[genreIds.size()];
        this.genreCount = new long[genreIds.size()];
    }

    /** One user's open session: the consumed items (rows) and their rewards, in order. */
    private static final class Session implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        long last;
        final ArrayList<Integer> items = new ArrayList<>();
        final ArrayList<Float> rewards = new ArrayList<>();
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
        if (sessionReturns) {
            double meanR = continuationCount == 0 ? 1 : rewardSum / continuationCount;
            for (int i = 0; i < q.length; i++) score[i] = (float) (v[i] * (meanR + advantage(i)));
        } else {
            for (int i = 0; i < q.length; i++) score[i] = v[i] * q[i];
        }
        int[] top = TopK.select(score, 0, score.length, k, Scoring.excludedIndexes(catalog, r.ratedItems));
        return Scoring.slateOf(catalog, score, top);
    }

    @Override
    public void update(RecommendationRequest r) {
        int a = catalog.indexOf(r.triggerItemId);
        if (a < 0) return;
        if (sessionReturns) {
            Session open = sessions.computeIfAbsent(r.userId, u -> new Session());
            if (!open.items.isEmpty() && r.eventTime - open.last >= sessionGap) closeSession(open);
            open.items.add(a);
            open.rewards.add((r.triggerRating - 3f) / 2f);
            open.last = r.eventTime;
            int[] before = ItemEmbeddings.rows(catalog, ItemEmbeddings.windowBefore(r.window, r.triggerItemId));
            float[] s = ItemEmbeddings.meanState(input, before, DIM);
            if (before.length > 0) { // the choice model's likelihood also shapes the state (TD no longer does)
                float[] p = ItemEmbeddings.softmax(ItemEmbeddings.logits(s, choice, choiceBias));
                float[] ds = new float[DIM];
                for (int f = 0; f < DIM; f++) ds[f] = choice[a * DIM + f];
                for (int i = 0; i < p.length; i++) for (int f = 0; f < DIM; f++) ds[f] -= p[i] * choice[i * DIM + f];
                float share = CHOICE_LR / before.length;
                for (int j : before) for (int f = 0; f < DIM; f++) input[j * DIM + f] += share * ds[f];
            }
            ItemEmbeddings.fitChoice(s, choice, choiceBias, a, CHOICE_LR);
            return;
        }
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

    /**
     * The session's continuations (undiscounted: the session's return is what RecSim's world pays) into the means, each
     * less the mean continuation at its position in the session (how far into a session an item was consumed says
     * most of what is left; what remains is what the item did).
     */
    private void closeSession(Session open) {
        int n = open.items.size();
        double[] after = new double[n];
        for (int t = n - 2; t >= 0; t--) after[t] = after[t + 1] + open.rewards.get(t + 1);
        for (int t = 0; t < n; t++) {
            int pos = Math.min(t, POSITIONS - 1);
            double baseline = positionCount[pos] == 0 ? after[t] : positionSum[pos] / positionCount[pos];
            positionSum[pos] += after[t];
            positionCount[pos]++;
            double advantage = after[t] - baseline;
            int item = open.items.get(t);
            itemSum[item] += advantage;
            itemCount[item]++;
            for (int g : genresOf[item]) {
                genreSum[g] += advantage;
                genreCount[g]++;
            }
            rewardSum += open.rewards.get(t);
            continuationCount++;
        }
        open.items.clear();
        open.rewards.clear();
    }

    /** An item's mean continuation beyond its position's, shrunk to its genres' means, which are shrunk to 0. */
    double advantage(int item) {
        double prior = 0;
        if (genresOf[item].length > 0) {
            for (int g : genresOf[item]) prior += genreSum[g] / (genreCount[g] + SHRINK);
            prior /= genresOf[item].length;
        }
        return (itemSum[item] + SHRINK * prior) / (itemCount[item] + SHRINK);
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
