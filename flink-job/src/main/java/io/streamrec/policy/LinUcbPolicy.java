package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LinUCB (Li et al. 2010) with one shared linear model over (user context, item) features, so every item is an
 * arm without a matrix per arm. Context: the genre profile c of the user's positive-history window (share of window
 * items in each genre). Arm features φ(u, j) = [c ⊙ g_j, g_j, pop_j, 1] with g_j the item's genre indicator and
 * pop_j = log(1 + n_j) / log(1 + max n) its rating count so far. Score = θᵀφ + α √(φᵀA⁻¹φ); A⁻¹ is kept by
 * Sherman–Morrison. Learning from the logged stream: the rated item is the observed arm with reward 1 when the
 * rating is positive, else 0, plus one sampled unrated item with reward 0; the context is the window before the event.
 */
public final class LinUcbPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double threshold;
    private final double alpha;
    private final int genres;
    private final int d;
    private final int[][] itemGenres; // per item: genre indexes
    private final int[] itemGroup; // per item: index of its genre set in groupGenres
    private final int[][] groupGenres; // the distinct genre sets
    private final int[] counts;
    private transient double[] logCounts;
    private int maxCount;
    private final double[] ainv; // d × d
    private final double[] b;
    private final double[] theta;
    private final Random rnd;

    public LinUcbPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.alpha = ctx.settings().linUcbAlpha();
        this.rnd = new Random(ctx.seed() + 31);
        Map<String, Integer> genreIndex = new LinkedHashMap<>();
        itemGenres = new int[catalog.size()][];
        for (int i = 0; i < catalog.size(); i++) {
            List<String> gs = catalog.genresAt(i);
            List<Integer> idx = new ArrayList<>();
            if (gs != null) for (String g : gs) idx.add(genreIndex.computeIfAbsent(g, x -> genreIndex.size()));
            itemGenres[i] = idx.stream().mapToInt(Integer::intValue).toArray();
        }
        genres = genreIndex.size();
        Map<List<Integer>, Integer> groupOf = new LinkedHashMap<>();
        itemGroup = new int[catalog.size()];
        for (int i = 0; i < catalog.size(); i++) {
            List<Integer> key = java.util.Arrays.stream(itemGenres[i]).boxed().toList();
            itemGroup[i] = groupOf.computeIfAbsent(key, x -> groupOf.size());
        }
        groupGenres = new int[groupOf.size()][];
        groupOf.forEach((key, g) ->
                groupGenres[g] = key.stream().mapToInt(Integer::intValue).toArray());
        d = 2 * genres + 2;
        ainv = new double[d * d];
        for (int i = 0; i < d; i++) ainv[i * d + i] = 1.0;
        b = new double[d];
        theta = new double[d];
        counts = new int[catalog.size()];
    }

    @Override
    public String name() {
        return "linucb";
    }

    private double[] context(int[] window, int exclude) {
        double[] c = new double[genres];
        int n = 0;
        for (int item : window) {
            int i = catalog.indexOf(item);
            if (i < 0 || item == exclude) continue;
            n++;
            for (int g : itemGenres[i]) c[g] += 1;
        }
        if (n > 0) for (int g = 0; g < genres; g++) c[g] /= n;
        return c;
    }

    /** Sparse φ(u, j): the indexes and values of its non-zero entries. */
    private int features(double[] c, int j, int[] idx, double[] val) {
        int n = genreFeatures(c, itemGenres[j], idx, val);
        double pop = maxCount == 0 ? 0 : Math.log1p(counts[j]) / Math.log1p(maxCount);
        idx[n] = 2 * genres;
        val[n++] = pop;
        idx[n] = 2 * genres + 1;
        val[n++] = 1;
        return n;
    }

    /** The genre entries of φ: c ⊙ g and g (the same for every item with genre set G). */
    private int genreFeatures(double[] c, int[] itemGenreSet, int[] idx, double[] val) {
        int n = 0;
        for (int g : itemGenreSet) {
            if (c[g] != 0) {
                idx[n] = g;
                val[n++] = c[g];
            }
            idx[n] = genres + g;
            val[n++] = 1;
        }
        return n;
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        return Scoring.topK(catalog, scores(r.window), k, r.ratedItems);
    }

    /**
     * Every item's UCB score for a window. Items with the same genre set share φ except for the popularity entry:
     * φ_j = u_G + pop_j·e_pop, so θᵀφ_j = θᵀu_G + pop_j·θ_pop and
     * φ_jᵀA⁻¹φ_j = u_GᵀA⁻¹u_G + pop_j·(A⁻¹[pop,·]u_G + u_GᵀA⁻¹[·,pop]) + pop_j²·A⁻¹[pop,pop].
     * The three sums are computed once per genre set (a few hundred) instead of per item (the profile's largest cost
     * of the global baselines); the result equals {@link #directScore} up to floating-point rounding.
     */
    float[] scores(int[] window) {
        double[] c = context(window, Integer.MIN_VALUE);
        int pop = 2 * genres;
        double thetaPop = theta[pop], aPopPop = ainv[pop * d + pop];
        double[] mean = new double[groupGenres.length],
                quad = new double[groupGenres.length],
                cross = new double[groupGenres.length];
        int[] idx = new int[d];
        double[] val = new double[d];
        for (int gs = 0; gs < groupGenres.length; gs++) {
            int n = genreFeatures(c, groupGenres[gs], idx, val);
            idx[n] = 2 * genres + 1;
            val[n++] = 1; // u_G: φ without its popularity entry
            double m = 0, q = 0, x = 0;
            for (int a = 0; a < n; a++) {
                m += theta[idx[a]] * val[a];
                int row = idx[a] * d;
                for (int e = 0; e < n; e++) q += val[a] * ainv[row + idx[e]] * val[e];
                x += (ainv[pop * d + idx[a]] + ainv[row + pop]) * val[a];
            }
            mean[gs] = m;
            quad[gs] = q;
            cross[gs] = x;
        }
        double logMax = Math.log1p(maxCount);
        float[] scores = new float[catalog.size()];
        for (int j = 0; j < scores.length; j++) {
            int gs = itemGroup[j];
            double p = maxCount == 0 ? 0 : logCount(j) / logMax;
            double var = quad[gs] + p * cross[gs] + p * p * aPopPop;
            scores[j] = (float) (mean[gs] + p * thetaPop + alpha * Math.sqrt(Math.max(0, var)));
        }
        return scores;
    }

    /** The definition the factorised {@link #scores} computes: θᵀφ + α √(φᵀA⁻¹φ) of one item; for tests. */
    double directScore(int[] window, int j) {
        double[] c = context(window, Integer.MIN_VALUE);
        int[] idx = new int[d];
        double[] val = new double[d];
        int n = features(c, j, idx, val);
        double mean = 0, var = 0;
        for (int a = 0; a < n; a++) {
            mean += theta[idx[a]] * val[a];
            int row = idx[a] * d;
            for (int e = 0; e < n; e++) var += val[a] * ainv[row + idx[e]] * val[e];
        }
        return mean + alpha * Math.sqrt(Math.max(0, var));
    }

    /** log(1 + n_j), cached per item (it changes only when the item is rated). */
    private double logCount(int j) {
        if (logCounts == null) {
            logCounts = new double[counts.length];
            for (int i = 0; i < counts.length; i++) logCounts[i] = Math.log1p(counts[i]);
        }
        return logCounts[j];
    }

    @Override
    public void update(RecommendationRequest r) {
        int i = catalog.indexOf(r.triggerItemId);
        if (i < 0) return;
        double[] c = context(r.window, r.triggerItemId);
        learn(c, i, r.triggerRating >= threshold ? 1 : 0);
        int j = rnd.nextInt(catalog.size());
        if (j != i && !Scoring.rated(r.ratedItems, catalog.itemIdAt(j))) learn(c, j, 0);
        counts[i]++;
        if (logCounts != null) logCounts[i] = Math.log1p(counts[i]);
        maxCount = Math.max(maxCount, counts[i]);
    }

    private void learn(double[] c, int j, double reward) {
        int[] idx = new int[d];
        double[] val = new double[d];
        int n = features(c, j, idx, val);
        double[] x = new double[d];
        for (int a = 0; a < n; a++) x[idx[a]] += val[a];
        // Sherman–Morrison: A⁻¹ ← A⁻¹ − (A⁻¹x)(xᵀA⁻¹) / (1 + xᵀA⁻¹x)
        double[] ax = new double[d];
        for (int r = 0; r < d; r++) {
            double s = 0;
            for (int a = 0; a < n; a++) s += ainv[r * d + idx[a]] * val[a];
            ax[r] = s;
        }
        double denom = 1;
        for (int a = 0; a < n; a++) denom += val[a] * ax[idx[a]];
        for (int r = 0; r < d; r++) {
            if (ax[r] == 0) continue;
            double f = ax[r] / denom;
            for (int s = 0; s < d; s++) ainv[r * d + s] -= f * ax[s];
        }
        for (int r = 0; r < d; r++) b[r] += reward * x[r];
        // θ = A⁻¹b in O(d), the recursive-least-squares step: θ ← θ + A⁻¹x·(r − xᵀθ)/(1 + xᵀA⁻¹x). Recomputing
        // A⁻¹b (O(d²)) on every event was half of the global-policies thread's profile.
        double predicted = 0;
        for (int a = 0; a < n; a++) predicted += val[a] * theta[idx[a]];
        double step = (reward - predicted) / denom;
        for (int r = 0; r < d; r++) theta[r] += step * ax[r];
    }

    /** The largest |θ − A⁻¹b| (the incremental θ against the direct product; for tests). */
    double thetaDrift() {
        double worst = 0;
        for (int r = 0; r < d; r++) {
            double s = 0;
            for (int e = 0; e < d; e++) s += ainv[r * d + e] * b[e];
            worst = Math.max(worst, Math.abs(s - theta[r]));
        }
        return worst;
    }
}
