package io.streamrec.eval;

/**
 * The per-slate metrics of the prequential evaluator as pure functions. A slate is judged against the user's
 * later ratings ("the future"): {@code futureItems[i]} rated {@code futureRatings[i]}, in the order they arrived.
 * An item is relevant when its later rating is at or above the positive threshold.
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /** Relevant recommended items among the first k, divided by k. */
    public static double precisionAtK(int[] slate, int k, int[] futureItems, float[] futureRatings, double threshold) {
        return hitsAtK(slate, k, futureItems, futureRatings, threshold) / (double) k;
    }

    /** Relevant recommended items among the first k, divided by the number of relevant future items (NaN if none). */
    public static double recallAtK(int[] slate, int k, int[] futureItems, float[] futureRatings, double threshold) {
        int relevant = countRelevant(futureRatings, threshold);
        if (relevant == 0) return Double.NaN;
        return hitsAtK(slate, k, futureItems, futureRatings, threshold) / (double) relevant;
    }

    /**
     * NDCG@k graded by rating: the gain of a recommended item is its later rating (stars) when relevant, else 0;
     * DCG = Σ gain / log2(rank + 1) over ranks 1..k; the ideal DCG puts the highest-rated relevant future items first.
     * NaN when the future holds no relevant item.
     */
    public static double ndcgAtK(int[] slate, int k, int[] futureItems, float[] futureRatings, double threshold) {
        int relevant = countRelevant(futureRatings, threshold);
        if (relevant == 0) return Double.NaN;
        double dcg = 0;
        int n = Math.min(k, slate.length);
        for (int p = 0; p < n; p++) {
            double g = gain(slate[p], futureItems, futureRatings, threshold);
            if (g > 0) dcg += g / log2(p + 2);
        }
        double[] gains = new double[relevant];
        int j = 0;
        for (float r : futureRatings) if (r >= threshold) gains[j++] = r;
        java.util.Arrays.sort(gains);
        double idcg = 0;
        for (int p = 0; p < Math.min(k, relevant); p++) idcg += gains[relevant - 1 - p] / log2(p + 2);
        return dcg / idcg;
    }

    /** The first relevant item of the future (the "next positive"), or -1 when there is none. */
    public static int nextPositive(int[] futureItems, float[] futureRatings, double threshold) {
        for (int i = 0; i < futureItems.length; i++) if (futureRatings[i] >= threshold) return futureItems[i];
        return -1;
    }

    /** 1 when the next positive item is among the first k, else 0; NaN when the future holds no positive. */
    public static double hitAtK(int[] slate, int k, int[] futureItems, float[] futureRatings, double threshold) {
        int next = nextPositive(futureItems, futureRatings, threshold);
        if (next < 0) return Double.NaN;
        int rank = rankOf(slate, next);
        return rank > 0 && rank <= k ? 1 : 0;
    }

    /** 1 / rank of the next positive item in the slate (0 when absent); NaN when the future holds no positive. */
    public static double reciprocalRank(int[] slate, int[] futureItems, float[] futureRatings, double threshold) {
        int next = nextPositive(futureItems, futureRatings, threshold);
        if (next < 0) return Double.NaN;
        int rank = rankOf(slate, next);
        return rank > 0 ? 1.0 / rank : 0;
    }

    /**
     * Mean DRR reward per recommended position: (r - 3) / 2 for each of the first k recommended items the user rated
     * later with r stars, 0 for the others; the sum divided by k.
     */
    public static double meanReward(int[] slate, int k, int[] futureItems, float[] futureRatings) {
        double sum = 0;
        int n = Math.min(k, slate.length);
        for (int p = 0; p < n; p++) {
            int i = indexOf(futureItems, slate[p]);
            if (i >= 0) sum += (futureRatings[i] - 3.0) / 2.0;
        }
        return sum / k;
    }

    /**
     * Novelty (self-information) of one recommended item: -log2((c + 1) / (u + 1)), where c is how many ratings the
     * item had received and u how many distinct users had been seen when the slate was made.
     */
    public static double novelty(long itemRatings, long usersSeen) {
        return Math.max(0, -log2((itemRatings + 1.0) / (usersSeen + 1.0)));
    }

    static int hitsAtK(int[] slate, int k, int[] futureItems, float[] futureRatings, double threshold) {
        int hits = 0;
        int n = Math.min(k, slate.length);
        for (int p = 0; p < n; p++) {
            int i = indexOf(futureItems, slate[p]);
            if (i >= 0 && futureRatings[i] >= threshold) hits++;
        }
        return hits;
    }

    public static int countRelevant(float[] futureRatings, double threshold) {
        int c = 0;
        for (float r : futureRatings) if (r >= threshold) c++;
        return c;
    }

    private static double gain(int item, int[] futureItems, float[] futureRatings, double threshold) {
        int i = indexOf(futureItems, item);
        return i >= 0 && futureRatings[i] >= threshold ? futureRatings[i] : 0;
    }

    /** 1-based rank of item in the slate, 0 when absent. */
    static int rankOf(int[] slate, int item) {
        for (int p = 0; p < slate.length; p++) if (slate[p] == item) return p + 1;
        return 0;
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) if (a[i] == x) return i;
        return -1;
    }

    public static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
