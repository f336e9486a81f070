package io.streamrec.learner;

import io.streamrec.model.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * Turns sampled transitions into a {@link TrainingBatch}: user rows (new users get theirs), window slots, the pairs of
 * the supervised term, the item critic's slates and candidates, the rows the step touches and the step's random draws
 * from the learner's RNG — logistic negatives, target smoothing noise, the item critic's sampled slots and candidates,
 * then sampled softmax candidates, in that order.
 */
final class BatchAssembler {
    private final LearnerSettings settings;
    private final int d;
    private final int n;
    private final ItemCatalogue catalogue;
    private final UserTable users;
    private final SeenItems seenItems;
    private final Rng rng;

    BatchAssembler(
            LearnerSettings settings,
            int d,
            int n,
            ItemCatalogue catalogue,
            UserTable users,
            SeenItems seenItems,
            Rng rng) {
        this.settings = settings;
        this.d = d;
        this.n = n;
        this.catalogue = catalogue;
        this.users = users;
        this.seenItems = seenItems;
        this.rng = rng;
    }

    TrainingBatch assemble(List<Experience> xs, float[] weights) {
        int batch = xs.size();
        TrainingBatch b = new TrainingBatch();
        b.users = new long[batch];
        b.window = new long[batch * n];
        b.mask = new float[batch * n];
        b.nextWindow = new long[batch * n];
        b.nextMask = new float[batch * n];
        b.actions = new float[batch * d];
        b.rewards = new float[batch];
        b.continues = new float[batch];
        b.weights = weights;
        boolean softmax = settings.auxWeight > 0 && settings.auxLoss == LearnerSettings.AuxLoss.SOFTMAX;
        boolean logistic = settings.auxWeight > 0 && settings.auxLoss == LearnerSettings.AuxLoss.LOGISTIC;
        int auxCount = 0;
        if (settings.auxWeight > 0) {
            for (Experience e : xs) auxCount += positivesUsed(e) * (logistic ? 1 + settings.auxNegatives : 1);
        }
        b.auxRows = new long[auxCount];
        b.auxItems = new long[auxCount];
        b.auxSigns = new float[auxCount];
        b.auxScale = new float[auxCount];
        int a = 0;
        for (int i = 0; i < batch; i++) {
            Experience e = xs.get(i);
            b.users[i] = users.rowOf(e.userId());
            catalogue.fillWindow(e.window(), b.window, b.mask, i * n);
            catalogue.fillWindow(e.nextWindow(), b.nextWindow, b.nextMask, i * n);
            System.arraycopy(e.action(), 0, b.actions, i * d, d);
            b.rewards[i] = e.reward();
            b.continues[i] = e.done() ? 0f : 1f;
            if (settings.auxWeight > 0) {
                float scale = 1f;
                int[] positives = e.positives();
                for (int q = 0; q < positivesUsed(e); q++) {
                    int p = positives[q];
                    int idx = catalogue.indexOf(p);
                    if (idx < 0) continue;
                    // softplus(−z) for a positive, softplus(z) for a negative (logistic); the target (softmax).
                    b.auxRows[a] = i;
                    b.auxItems[a] = idx;
                    b.auxScale[a] = scale;
                    b.auxSigns[a++] = -1f;
                    for (int k = 0; logistic && k < settings.auxNegatives; k++) {
                        b.auxRows[a] = i;
                        b.auxItems[a] = rng.nextInt(catalogue.size());
                        b.auxScale[a] = scale;
                        b.auxSigns[a++] = 1f;
                    }
                    scale *= settings.auxDiscount;
                }
            }
        }
        if (a < auxCount) {
            b.auxRows = Arrays.copyOf(b.auxRows, a);
            b.auxItems = Arrays.copyOf(b.auxItems, a);
            b.auxSigns = Arrays.copyOf(b.auxSigns, a);
            b.auxScale = Arrays.copyOf(b.auxScale, a);
        }
        if (settings.targetNoise > 0) {
            float sigma = settings.targetNoise;
            b.targetNoise = new float[batch * d];
            for (int j = 0; j < b.targetNoise.length; j++) {
                b.targetNoise[j] = (float) Math.max(-2 * sigma, Math.min(2 * sigma, rng.nextGaussian() * sigma));
            }
        }
        if (settings.itemCritic) slatesAndCandidates(xs, b);
        b.touchedUsers = distinct(b.users, b.users.length, null, 0);
        // Only present slots reference a row; a masked slot contributes nothing and must not count as touched.
        long[] present = new long[b.window.length];
        int np = 0;
        for (int j = 0; j < b.window.length; j++) if (b.mask[j] > 0) present[np++] = b.window[j];
        long[] extra = b.auxItems;
        int itemCount = catalogue.size();
        if (softmax && b.auxRows.length > 0) {
            // The softmax's candidates are every touched row: the whole catalogue, or the batch's windows and positives
            // plus uniformly sampled negatives.
            if (settings.auxNegatives == 0 || settings.auxNegatives >= itemCount) {
                extra = new long[itemCount];
                for (int j = 0; j < extra.length; j++) extra[j] = j;
            } else {
                extra = Arrays.copyOf(b.auxItems, b.auxItems.length + settings.auxNegatives);
                for (int j = b.auxItems.length; j < extra.length; j++) extra[j] = rng.nextInt(itemCount);
            }
        }
        if (settings.itemCritic) {
            long[] more = Arrays.copyOf(extra, extra.length + b.slateItems.length + b.candidates.length);
            System.arraycopy(b.slateItems, 0, more, extra.length, b.slateItems.length);
            System.arraycopy(b.candidates, 0, more, extra.length + b.slateItems.length, b.candidates.length);
            extra = more;
        }
        b.touchedItems = distinct(present, np, extra, extra.length);
        b.localUsers = positions(b.touchedUsers, b.users, null);
        b.localWindow = positions(b.touchedItems, b.window, b.mask);
        b.localAuxItems = positions(b.touchedItems, b.auxItems, null);
        if (settings.itemCritic) {
            b.localSlateItems = positions(b.touchedItems, b.slateItems, null);
            b.localCandidates = positions(b.touchedItems, b.candidates, null);
        }
        if (softmax && b.auxRows.length > 0) {
            int c = b.touchedItems.length;
            b.softmaxTargets = new long[b.auxRows.length];
            for (int j = 0; j < b.auxRows.length; j++) b.softmaxTargets[j] = b.auxRows[j] * c + b.localAuxItems[j];
            // The items the user has rated (the window and everything the learner has seen) are no negatives,
            // unless they are a target of that row.
            long[] excluded = new long[64];
            int ne = 0;
            int rowFrom = 0; // pairs are grouped by row, in row order
            for (int i = 0; i < batch; i++) {
                int[] seen = seenItems.of(xs.get(i).userId());
                for (int j = i * n; j < (i + 1) * n; j++) {
                    if (b.mask[j] > 0 && Arrays.binarySearch(seen, (int) b.window[j]) < 0) {
                        seen = SeenItems.withItem(seen, (int) b.window[j]);
                    }
                }
                int from = rowFrom, to = rowFrom;
                while (to < b.auxRows.length && b.auxRows[to] == i) to++;
                rowFrom = to;
                for (int idx : seen) {
                    boolean target = false;
                    for (int t = from; t < to && !target; t++) target = b.auxItems[t] == idx;
                    if (target) continue;
                    int pos = Arrays.binarySearch(b.touchedItems, idx);
                    if (pos < 0) continue; // not a candidate (sampled softmax)
                    if (ne == excluded.length) excluded = Arrays.copyOf(excluded, ne * 2);
                    excluded[ne++] = i * (long) c + pos;
                }
            }
            b.softmaxExcluded = Arrays.copyOf(excluded, ne);
        }
        return b;
    }

    /**
     * The item critic's arrays: each row's slots are its slate items, then with full feedback its other horizon
     * positives (at most {@link LearnerSettings#FULL_FEEDBACK_POSITIVES}) and as many uniform draws; K = the most slots
     * of a row (at least 1); a slot is rewarded 1 when its item is one of the row's horizon positives. The candidates
     * are the row's slate items in slate order, then draws from the batch's window slots (uniform draws if all are
     * empty). Needs the windows filled.
     */
    private void slatesAndCandidates(List<Experience> xs, TrainingBatch b) {
        int batch = xs.size();
        int[][] slots = new int[batch][];
        int k = 1;
        for (int i = 0; i < batch; i++) {
            Experience e = xs.get(i);
            int[] slate = e.slate();
            if (settings.criticFullFeedback) {
                int[] sorted = slate.clone();
                Arrays.sort(sorted);
                int[] others = Arrays.stream(e.positives())
                        .filter(p -> Arrays.binarySearch(sorted, p) < 0)
                        .distinct()
                        .limit(LearnerSettings.FULL_FEEDBACK_POSITIVES)
                        .toArray();
                int[] all = Arrays.copyOf(slate, slate.length + 2 * others.length);
                System.arraycopy(others, 0, all, slate.length, others.length);
                slots[i] = all; // the sampled half is drawn below, after the slots' lengths are known
            } else {
                slots[i] = slate;
            }
            k = Math.max(k, slots[i].length);
        }
        int m = settings.criticCandidates;
        // The sampled candidates come from the batch's windows: items users rated positively, so drawn in proportion
        // to their popularity (in-batch sampling) — uniform draws would rarely show the policy the items that matter.
        int[] windowSlots = new int[b.window.length];
        int pool = 0;
        for (int j = 0; j < b.window.length; j++) if (b.mask[j] > 0) windowSlots[pool++] = j;
        b.slateItems = new long[batch * k];
        b.slateMask = new float[batch * k];
        b.slateRewards = new float[batch * k];
        b.candidates = new long[batch * m];
        for (int i = 0; i < batch; i++) {
            Experience e = xs.get(i);
            int[] positives = e.positives().clone();
            Arrays.sort(positives);
            int slate = e.slate().length;
            int sampledFrom = slate + (slots[i].length - slate) / 2;
            for (int j = 0; j < slots[i].length; j++) {
                int idx = j < sampledFrom ? catalogue.indexOf(slots[i][j]) : rng.nextInt(catalogue.size());
                if (idx < 0) continue;
                int item = j < sampledFrom ? slots[i][j] : catalogue.ids()[idx];
                b.slateItems[i * k + j] = idx;
                b.slateMask[i * k + j] = 1f;
                b.slateRewards[i * k + j] = Arrays.binarySearch(positives, item) >= 0 ? 1f : 0f;
            }
            int c = 0;
            for (int j = 0; j < slate && c < m; j++) {
                int idx = catalogue.indexOf(e.slate()[j]);
                if (idx >= 0) b.candidates[i * m + c++] = idx;
            }
            while (c < m)
                b.candidates[i * m + c++] =
                        pool > 0 ? b.window[windowSlots[rng.nextInt(pool)]] : rng.nextInt(catalogue.size());
        }
    }

    /** The horizon positives the supervised term uses: the first {@code auxPositives} (0: all). */
    private int positivesUsed(Experience e) {
        int all = e.positives().length;
        return settings.auxPositives == 0 ? all : Math.min(all, settings.auxPositives);
    }

    /** The position of each value in {@code sorted}; where {@code mask} is 0 the position is 0 (never read). */
    private static long[] positions(long[] sorted, long[] values, float[] mask) {
        long[] out = new long[values.length];
        for (int j = 0; j < values.length; j++) {
            if (mask != null && mask[j] <= 0) continue;
            out[j] = Arrays.binarySearch(sorted, values[j]);
        }
        return out;
    }

    /** The distinct values of a[0..na) and b[0..nb), ascending. */
    private static long[] distinct(long[] a, int na, long[] b, int nb) {
        long[] all = Arrays.copyOf(a, na + nb);
        if (nb > 0) System.arraycopy(b, 0, all, na, nb);
        Arrays.sort(all);
        int k = 0;
        for (int i = 0; i < all.length; i++) if (i == 0 || all[i] != all[i - 1]) all[k++] = all[i];
        return Arrays.copyOf(all, k);
    }
}
