package io.streamrec.eval;

import io.streamrec.policy.Policies;
import io.streamrec.schema.PolicyMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Several seeds of one replay, summarised: each policy's mean of a cumulative metric over the seeds with its 95 %
 * confidence interval (Student's t, n − 1 degrees of freedom), and DRR's ratio to the best other policy, computed
 * per seed and then averaged with its own interval (the ratio of paired runs, not the ratio of two means).
 */
public final class SeedSummary {
    /** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
    };

    /** Mean and half-width of its 95 % interval over n values (half-width NaN for n < 2). */
    public record Interval(double mean, double halfWidth, int n) {
        public double low() {
            return mean - halfWidth;
        }

        public double high() {
            return mean + halfWidth;
        }

        /** True when the two intervals do not overlap. */
        public boolean separatedFrom(Interval o) {
            return low() > o.high() || o.low() > high();
        }

        @Override
        public String toString() {
            return Double.isNaN(halfWidth)
                    ? String.format(Locale.ROOT, "%.4f", mean)
                    : String.format(Locale.ROOT, "%.4f ± %.4f", mean, halfWidth);
        }
    }

    private final List<List<PolicyMetrics>> runs = new ArrayList<>();

    /** Adds one seed's cumulative table. */
    public void add(List<PolicyMetrics> cumulative) {
        runs.add(cumulative);
    }

    public int seeds() {
        return runs.size();
    }

    public static Interval interval(double[] xs) {
        int n = xs.length;
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= n;
        if (n < 2) return new Interval(mean, Double.NaN, n);
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
        return new Interval(mean, t * sd / Math.sqrt(n), n);
    }

    /** Each policy (in the first run's order) with its interval of {@code metric}. */
    public Map<String, Interval> intervals(String metric) {
        Map<String, Interval> out = new LinkedHashMap<>();
        if (runs.isEmpty()) return out;
        for (PolicyMetrics first : runs.get(0)) {
            double[] xs = new double[runs.size()];
            boolean complete = true;
            for (int s = 0; s < runs.size(); s++) {
                Double v = value(runs.get(s), first.policy, metric);
                if (v == null) complete = false;
                else xs[s] = v;
            }
            if (complete) out.put(first.policy, interval(xs));
        }
        return out;
    }

    /**
     * {@code drrPolicy}'s ratio to the best policy that is not DRR (the best by mean of {@code metric}), per seed,
     * with its interval; null when either is missing.
     */
    public Ratio ratioToBestOther(String drrPolicy, String metric) {
        Map<String, Interval> all = intervals(metric);
        if (!all.containsKey(drrPolicy)) return null;
        String best = null;
        for (Map.Entry<String, Interval> e : all.entrySet()) {
            if (e.getKey().equals(Policies.DRR) || e.getKey().equals(Policies.DRR_GREEDY)) continue;
            if (best == null || e.getValue().mean() > all.get(best).mean()) best = e.getKey();
        }
        if (best == null) return null;
        double[] ratios = new double[runs.size()];
        for (int s = 0; s < runs.size(); s++) {
            ratios[s] = value(runs.get(s), drrPolicy, metric) / value(runs.get(s), best, metric);
        }
        return new Ratio(drrPolicy, best, metric, interval(ratios));
    }

    public record Ratio(String policy, String baseline, String metric, Interval ratio) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s / %s (%s, per seed): %s%s",
                    policy,
                    baseline,
                    metric,
                    ratio,
                    Double.isNaN(ratio.halfWidth())
                            ? ""
                            : ratio.low() > 1 ? "  (above 1)" : ratio.high() < 1 ? "  (below 1)" : "  (1 inside)");
        }
    }

    /** The table: policy, seeds, then mean ± 95 % half-width of each metric. */
    public String format(List<String> metrics) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %5s", "policy", "seeds"));
        for (String m : metrics) sb.append(String.format(Locale.ROOT, " %19s", m));
        sb.append('\n');
        List<Map<String, Interval>> cols = new ArrayList<>();
        for (String m : metrics) cols.add(intervals(m));
        for (String policy : cols.get(0).keySet()) {
            sb.append(String.format(Locale.ROOT, "%-12s %5d", policy, runs.size()));
            for (Map<String, Interval> c : cols) {
                Interval iv = c.get(policy);
                sb.append(String.format(Locale.ROOT, " %19s", iv == null ? "-" : iv.toString()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Double value(List<PolicyMetrics> run, String policy, String metric) {
        for (PolicyMetrics m : run) if (m.policy.equals(policy)) return m.values.get(metric);
        return null;
    }
}
