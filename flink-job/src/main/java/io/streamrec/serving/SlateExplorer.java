package io.streamrec.serving;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.Rng;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The actor's exploration, two kinds that may be combined:
 * <ul>
 *   <li>in action space (DDPG, RecNN, the public DRR code): Gaussian noise N(0, σ²) on every component of the action
 *       ({@link #actionNoise}); the actor ranks the slate by the noisy action and reports that action, so the critic
 *       learns from the actions actually taken;</li>
 *   <li>ε-greedy over the slate: each position is, with probability ε, replaced by a uniformly drawn candidate that the
 *       user has not rated and that is not already in the slate; ε decays linearly from {@code epsilonStart} to
 *       {@code epsilonEnd} over {@code decayRequests} requests. Replaced positions are marked explored; an explored item
 *       keeps the score of the position it took (the policy did not rank it; JSON has no NaN). The reported action does
 *       not describe such a slate, which is why action noise is the default.</li>
 * </ul>
 * Seeded; one instance per inference thread (not thread-safe).
 */
public final class SlateExplorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double epsilonStart;
    private final double epsilonEnd;
    private final long decayRequests;
    private final double actionSigma;
    private final Rng rng;
    private long requests;

    public SlateExplorer(double epsilonStart, double epsilonEnd, long decayRequests, long seed) {
        this(epsilonStart, epsilonEnd, decayRequests, 0, seed);
    }

    /** @param actionSigma σ of the Gaussian action noise (0 = none) */
    public SlateExplorer(double epsilonStart, double epsilonEnd, long decayRequests, double actionSigma, long seed) {
        if (epsilonStart < 0 || epsilonStart > 1 || epsilonEnd < 0 || epsilonEnd > 1) {
            throw new IllegalArgumentException("epsilon must be in [0,1]");
        }
        if (!(actionSigma >= 0) || !Double.isFinite(actionSigma))
            throw new IllegalArgumentException("action noise must be >= 0");
        this.actionSigma = actionSigma;
        this.epsilonStart = epsilonStart;
        this.epsilonEnd = epsilonEnd;
        this.decayRequests = Math.max(1, decayRequests);
        this.rng = new Rng(seed);
    }

    /** A copy with its own random stream (one per subtask). */
    public SlateExplorer forSubtask(int subtask) {
        return new SlateExplorer(epsilonStart, epsilonEnd, decayRequests, actionSigma, rng.state() * 31 + subtask + 1);
    }

    /** Gaussian noise for {@code batch} actions of {@code d} values (row-major), or null without action noise. */
    public float[] actionNoise(int batch, int d) {
        if (actionSigma <= 0) return null;
        float[] noise = new float[batch * d];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (rng.nextGaussian() * actionSigma);
        return noise;
    }

    public double actionSigma() {
        return actionSigma;
    }

    public double epsilon() {
        double f = Math.min(1.0, requests / (double) decayRequests);
        return epsilonStart + (epsilonEnd - epsilonStart) * f;
    }

    /** The slate with explored positions replaced; {@code explored[j]} says which. */
    public record Explored(int[] itemIndices, int[] itemIds, float[] scores, boolean[] explored) {}

    public Explored explore(ScoredSlate slate, int[] ratedItemsSorted, ItemCatalog catalog) {
        double eps = epsilon();
        requests++;
        int k = slate.size();
        if (eps <= 0 || k == 0)
            return new Explored(slate.itemIndices(), slate.itemIds(), slate.scores(), new boolean[k]);
        int[] idx = slate.itemIndices().clone();
        int[] ids = slate.itemIds().clone();
        float[] scores = slate.scores().clone();
        boolean[] explored = new boolean[k];
        Set<Integer> inSlate = new HashSet<>();
        for (int id : ids) inSlate.add(id);
        for (int j = 0; j < k; j++) {
            if (rng.nextDouble() >= eps) continue;
            for (int attempt = 0; attempt < 32; attempt++) {
                int candidate = rng.nextInt(catalog.size());
                int id = catalog.itemIdAt(candidate);
                if (inSlate.contains(id)) continue;
                if (ratedItemsSorted != null && Arrays.binarySearch(ratedItemsSorted, id) >= 0) continue;
                inSlate.remove(ids[j]);
                inSlate.add(id);
                idx[j] = candidate;
                ids[j] = id;
                explored[j] = true;
                break;
            }
        }
        return new Explored(idx, ids, scores, explored);
    }
}
