package io.streamrec.eval;

import java.io.Serializable;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums of the per-slate metrics of one policy over one scope (a window or the whole run). Accuracy metrics average
 * over the slates they are defined for: precision and reward over judged slates (at least one later rating);
 * recall, NDCG, hit rate and MRR over slates whose future holds a positive. Coverage is the share of the catalogue
 * recommended at least once; novelty the mean self-information of recommended items.
 */
public final class MetricAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int k;
    private final int catalogSize;
    long slates;
    long judged;
    long withPositive;
    double precision;
    double recall;
    double ndcg;
    double hit;
    double rr;
    double reward;
    long recommended;
    double novelty;
    final BitSet distinct = new BitSet();

    public MetricAccumulator(int k, int catalogSize) {
        this.k = k;
        this.catalogSize = catalogSize;
    }

    /**
     * Adds one finalised slate. {@code slateIndexes} are the catalogue indexes of the slate (for coverage; -1 for
     * items outside the catalogue), {@code noveltySum} the summed novelty of its items.
     */
    public void add(
            int[] slate,
            int[] slateIndexes,
            double noveltySum,
            int[] futureItems,
            float[] futureRatings,
            double threshold) {
        slates++;
        recommended += slate.length;
        novelty += noveltySum;
        for (int i : slateIndexes) if (i >= 0) distinct.set(i);
        if (futureItems.length == 0) return;
        judged++;
        precision += RankingMetrics.precisionAtK(slate, k, futureItems, futureRatings, threshold);
        reward += RankingMetrics.meanReward(slate, k, futureItems, futureRatings);
        if (RankingMetrics.countRelevant(futureRatings, threshold) == 0) return;
        withPositive++;
        recall += RankingMetrics.recallAtK(slate, k, futureItems, futureRatings, threshold);
        ndcg += RankingMetrics.ndcgAtK(slate, k, futureItems, futureRatings, threshold);
        hit += RankingMetrics.hitAtK(slate, k, futureItems, futureRatings, threshold);
        rr += RankingMetrics.reciprocalRank(slate, futureItems, futureRatings, threshold);
    }

    public long slates() {
        return slates;
    }

    public long judged() {
        return judged;
    }

    /** The metric values by name; a metric without any slate to average over is NaN. */
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("precision@" + k, ratio(precision, judged));
        m.put("recall@" + k, ratio(recall, withPositive));
        m.put("ndcg@" + k, ratio(ndcg, withPositive));
        m.put("hit@" + k, ratio(hit, withPositive));
        m.put("mrr", ratio(rr, withPositive));
        m.put("reward", ratio(reward, judged));
        m.put("coverage", catalogSize == 0 ? Double.NaN : distinct.cardinality() / (double) catalogSize);
        m.put("novelty", ratio(novelty, recommended));
        m.put("judged", (double) judged);
        m.put("withPositive", (double) withPositive);
        return m;
    }

    private static double ratio(double sum, long n) {
        return n == 0 ? Double.NaN : sum / n;
    }
}
