package io.streamrec.eval;

import io.streamrec.schema.PolicyMetrics;
import java.util.List;
import java.util.Locale;

/** The end-of-run table: one row per policy of its cumulative metrics. */
public final class SummaryTable {
    private SummaryTable() {}

    /** The metric columns of the table (after policy and slates), for cutoff {@code k}. */
    public static List<String> columns(int k) {
        return List.of(
                "precision@" + k, "recall@" + k, "ndcg@" + k, "hit@" + k, "mrr", "reward", "coverage", "novelty");
    }

    /** The table, one row per policy in the usual order ({@link MetricCurves#POLICY_RANK}), whatever the input order. */
    public static String format(List<PolicyMetrics> unordered) {
        if (unordered.isEmpty()) return "(no slates evaluated)\n";
        List<PolicyMetrics> cumulative = new java.util.ArrayList<>(unordered);
        cumulative.sort(java.util.Comparator.comparing(m -> m.policy, MetricCurves.POLICY_RANK));
        List<String> cols = columns(cumulative.get(0).k);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s %9s", "policy", "slates"));
        for (String c : cols) sb.append(String.format(Locale.ROOT, " %12s", c));
        sb.append('\n');
        for (PolicyMetrics m : cumulative) {
            sb.append(String.format(Locale.ROOT, "%-12s %9d", m.policy, m.count));
            for (String c : cols) {
                Double v = m.values.get(c);
                sb.append(
                        v == null
                                ? String.format(Locale.ROOT, " %12s", "-")
                                : String.format(Locale.ROOT, " %12.4f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
