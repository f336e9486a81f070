package io.streamrec.eval;

import io.streamrec.schema.PolicyMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy's metric over replay time, as a person can read it, from the evaluator's windowed records: the cumulative
 * curve (running slate-weighted mean since the start) and a smoothed curve (slate-weighted mean over the trailing
 * windows that hold at least {@link Curve#span} slates). Day windows of a sparse replay hold a handful of slates each,
 * so their raw values jump between 0 and 1; weighting by slates and spanning enough of them makes a readable line.
 * The run report and the live dashboard draw the same curves.
 */
public final class MetricCurves {
    /** Smoothed points span at least this many slates ... */
    static final int MIN_SPAN = 100;
    /** ... or this fraction of the policy's slates, whichever is larger. */
    static final int SPAN_DIVISOR = 25;

    /** One point: the window's end in event time (epoch ms), the stream's events seen by then, the value. */
    public record Point(long time, long events, double value) {}

    /** One policy's curves of one metric; {@code slates} judged in all, {@code span} slates per smoothed point. */
    public record Curve(
            String policy, String metric, List<Point> cumulative, List<Point> smoothed, long slates, long span) {}

    private MetricCurves() {}

    // One colour per policy wherever curves are drawn (run report, dashboard), so a policy is the same line in both.
    private static final List<String> POLICY_ORDER = List.of(
            "random",
            "popularity",
            "itemknn",
            "sr",
            "vsknn",
            "mf",
            "linucb",
            "genreq",
            "slateq",
            "reinforce",
            "drr",
            "drr-greedy");
    private static final List<String> PALETTE = List.of(
            "#7f7f7f", "#1f77b4", "#2ca02c", "#98df8a", "#aec7e8", "#ff7f0e", "#9467bd", "#8c564b", "#17becf",
            "#e377c2", "#d62728", "#bcbd22");

    /** A policy's place in tables and legends: the known policies in their usual order, then the others by name. */
    public static final java.util.Comparator<String> POLICY_RANK = java.util.Comparator.comparingInt((String p) -> {
                int i = POLICY_ORDER.indexOf(p);
                return i >= 0 ? i : POLICY_ORDER.size();
            })
            .thenComparing(p -> p);

    /** The policy's line colour ({@code #rrggbb}); other policy names get one of the palette's by their hash. */
    public static String color(String policy) {
        int i = POLICY_ORDER.indexOf(policy);
        return PALETTE.get(i >= 0 ? i : Math.floorMod(policy.hashCode(), PALETTE.size()));
    }

    /** What a smoothed point is, in words for a plot's caption. */
    public static String describeSmoothing(String scope) {
        String windows = PolicyMetrics.SCOPE_DAY.equals(scope) ? "day windows" : "event-count windows";
        return "Each smoothed point is the mean over the trailing " + windows + " that hold at least 1/" + SPAN_DIVISOR
                + " of the policy's slates (at least " + MIN_SPAN + "), weighted by slates.";
    }

    /**
     * The windowed scope to draw: the one with the most records (day windows of a long replay; event windows of a
     * short or synthetic one), or null when there are none.
     */
    public static String windowScope(List<PolicyMetrics> records) {
        long days = records.stream()
                .filter(m -> PolicyMetrics.SCOPE_DAY.equals(m.scope))
                .count();
        long events = records.stream()
                .filter(m -> PolicyMetrics.SCOPE_EVENTS.equals(m.scope))
                .count();
        if (days == 0 && events == 0) return null;
        return days >= events ? PolicyMetrics.SCOPE_DAY : PolicyMetrics.SCOPE_EVENTS;
    }

    /**
     * The curves of {@code metric} (a per-slate mean such as ndcg@10, hit@10, reward) for every policy that has it in
     * {@code scope}'s windows, at most {@code maxPoints} points per line (evenly thinned, the last point kept).
     */
    public static Map<String, Curve> of(List<PolicyMetrics> records, String scope, String metric, int maxPoints) {
        Map<String, List<PolicyMetrics>> byPolicy = new LinkedHashMap<>();
        for (PolicyMetrics m : records) {
            if (scope == null || !scope.equals(m.scope) || m.count <= 0) continue;
            Double v = m.values.get(metric);
            if (v == null || !Double.isFinite(v)) continue;
            byPolicy.computeIfAbsent(m.policy, p -> new ArrayList<>()).add(m);
        }
        Map<String, Curve> out = new LinkedHashMap<>();
        byPolicy.forEach((policy, windows) -> out.put(policy, curve(policy, metric, windows, maxPoints)));
        return out;
    }

    private static Curve curve(String policy, String metric, List<PolicyMetrics> windows, int maxPoints) {
        windows.sort(Comparator.comparingLong((PolicyMetrics m) -> m.eventsSeen).thenComparingLong(m -> m.windowEnd));
        long slates = windows.stream().mapToLong(m -> m.count).sum();
        long span = Math.max(MIN_SPAN, slates / SPAN_DIVISOR);
        List<Point> cumulative = new ArrayList<>(windows.size());
        List<Point> smoothed = new ArrayList<>(windows.size());
        double sum = 0;
        long count = 0;
        Deque<PolicyMetrics> trailing = new ArrayDeque<>();
        double trailingSum = 0;
        long trailingCount = 0;
        for (PolicyMetrics m : windows) {
            double weighted = m.values.get(metric) * m.count;
            sum += weighted;
            count += m.count;
            cumulative.add(new Point(m.windowEnd, m.eventsSeen, sum / count));
            trailing.addLast(m);
            trailingSum += weighted;
            trailingCount += m.count;
            // drop the oldest windows while the rest still span enough slates
            while (trailing.size() > 1 && trailingCount - trailing.peekFirst().count >= span) {
                PolicyMetrics old = trailing.removeFirst();
                trailingSum -= old.values.get(metric) * old.count;
                trailingCount -= old.count;
            }
            // before the first full span the smoothed line would be as noisy as the raw one: start it there
            if (trailingCount >= span || count == slates)
                smoothed.add(new Point(m.windowEnd, m.eventsSeen, trailingSum / trailingCount));
        }
        return new Curve(policy, metric, thin(cumulative, maxPoints), thin(smoothed, maxPoints), slates, span);
    }

    static List<Point> thin(List<Point> points, int maxPoints) {
        if (maxPoints <= 1 || points.size() <= maxPoints) return points;
        List<Point> out = new ArrayList<>(maxPoints);
        double step = (points.size() - 1) / (double) (maxPoints - 1);
        for (int i = 0; i < maxPoints; i++) out.add(points.get((int) Math.round(i * step)));
        return out;
    }
}
