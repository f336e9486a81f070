package io.streamrec.actor;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.learner.Rng;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * ε-greedy exploration over a slate: each position is, with probability ε, replaced by a uniformly drawn candidate
 * that the user has not rated and that is not already in the slate; ε decays linearly from {@code epsilonStart} to
 * {@code epsilonEnd} over {@code decayRequests} requests. Replaced positions are marked explored. Seeded; one instance
 * per inference thread (not thread-safe). An explored item keeps the score of the position it took (the policy did not
 * rank it; JSON has no NaN).
 */
public final class SlateExplorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double epsilonStart;
    private final double epsilonEnd;
    private final long decayRequests;
    private final Rng rng;
    private long requests;

    public SlateExplorer(double epsilonStart, double epsilonEnd, long decayRequests, long seed) {
        if (epsilonStart < 0 || epsilonStart > 1 || epsilonEnd < 0 || epsilonEnd > 1) {
            throw new IllegalArgumentException("epsilon must be in [0,1]");
        }
        this.epsilonStart = epsilonStart;
        this.epsilonEnd = epsilonEnd;
        this.decayRequests = Math.max(1, decayRequests);
        this.rng = new Rng(seed);
    }

    /** A copy with its own random stream (one per subtask). */
    public SlateExplorer forSubtask(int subtask) {
        return new SlateExplorer(epsilonStart, epsilonEnd, decayRequests, rng.state() * 31 + subtask + 1);
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
        int[] idx = slate.itemIndices().clone();
        int[] ids = slate.itemIds().clone();
        float[] scores = slate.scores().clone();
        boolean[] explored = new boolean[k];
        if (eps <= 0 || k == 0) return new Explored(idx, ids, scores, explored);
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
