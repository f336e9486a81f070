package io.streamrec.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.eval.MetricCurves;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows, gathered from what a Kafka client and Flink's REST API see: the evaluator's metrics records
 * (drawn as {@link MetricCurves}, the same curves as the run report), the served slates, dead letters, the learner's
 * publications and the job's own metrics, sampled over wall time. Thread-safe; {@link #toJson} is the data endpoint.
 */
public final class DashboardState {
    /** Wall-clock samples kept for the rate and learner charts (10 minutes at one per 2 s). */
    static final int MAX_SAMPLES = 300;
    /** Points per curve sent to the page. */
    static final int MAX_POINTS = 200;
    /** Latest slates shown (one per user, newest first). */
    static final int SLATES_SHOWN = 6;

    /** Windowed records kept before adjacent windows are merged (a long {@code --forever} run stays bounded). */
    static final int MAX_RECORDS = 100_000;

    private final String title;
    private final int maxRecords;
    private final List<PolicyMetrics> metrics = new ArrayList<>();
    private final Map<Integer, Recommendation> latestSlates = new LinkedHashMap<>();
    private final Map<String, Recommendation> latestByPolicy = new LinkedHashMap<>();
    private final Map<String, PolicyMetrics> latestCumulative = new LinkedHashMap<>();
    private final Deque<double[]> rates = new ArrayDeque<>(); // wall ms, events/s, recommendations/s
    private final Deque<double[]> publications = new ArrayDeque<>(); // wall ms, learner step, replay ratio
    private final Map<String, Deque<double[]>> jobSeries = new LinkedHashMap<>(); // metric -> (wall ms, value)
    private final Map<String, Double> jobLatest = new LinkedHashMap<>();
    private String jobState = "unknown";
    private String feedError;
    private long recommendations;
    private long eventsIn;
    private long deadLetters;
    private long modelVersion;
    private long replayClock;
    private long lastRateAt;
    private long recommendationsAtLastRate;
    private long eventsAtLastRate = -1;

    public DashboardState(String title) {
        this(title, MAX_RECORDS);
    }

    DashboardState(String title, int maxRecords) {
        this.title = title;
        this.maxRecords = maxRecords;
    }

    /**
     * A record of the metrics topic: the curves are drawn from the windowed ones, the leaderboard from each policy's
     * latest cumulative one (the evaluator's own totals, as the end-of-run table shows them).
     */
    public synchronized void addMetrics(PolicyMetrics m) {
        if (m.policy == null || m.scope == null || m.values == null) return;
        if (PolicyMetrics.SCOPE_CUMULATIVE.equals(m.scope)) {
            latestCumulative.merge(m.policy, m, (old, now) -> now.count >= old.count ? now : old);
            return;
        }
        metrics.add(m);
        if (metrics.size() > maxRecords) compact();
    }

    /**
     * Halves the records: each policy's windows of a scope are merged in adjacent pairs (slate-weighted means, the later
     * end). The curves keep their shape at half the resolution, and the cumulative curve its values at the kept points.
     */
    private void compact() {
        Map<String, List<PolicyMetrics>> groups = new LinkedHashMap<>();
        for (PolicyMetrics m : metrics)
            groups.computeIfAbsent(m.policy + "\u0000" + m.scope, g -> new ArrayList<>())
                    .add(m);
        metrics.clear();
        for (List<PolicyMetrics> group : groups.values()) {
            group.sort(
                    Comparator.comparingLong((PolicyMetrics m) -> m.eventsSeen).thenComparingLong(m -> m.windowEnd));
            for (int i = 0; i < group.size(); i += 2)
                metrics.add(i + 1 < group.size() ? merged(group.get(i), group.get(i + 1)) : group.get(i));
        }
    }

    private static PolicyMetrics merged(PolicyMetrics a, PolicyMetrics b) {
        PolicyMetrics m = new PolicyMetrics();
        m.policy = a.policy;
        m.scope = a.scope;
        m.k = b.k;
        m.windowStart = a.windowStart;
        m.windowEnd = b.windowEnd;
        m.eventsSeen = b.eventsSeen;
        m.count = a.count + b.count;
        for (Map.Entry<String, Double> e : b.values.entrySet()) {
            Double va = a.values.get(e.getKey());
            m.values.put(
                    e.getKey(),
                    va == null || m.count == 0 ? e.getValue() : (va * a.count + e.getValue() * b.count) / m.count);
        }
        return m;
    }

    /** Windowed metrics records held (for tests of the bound). */
    synchronized int windowRecords() {
        return metrics.size();
    }

    public synchronized void addRecommendation(Recommendation r) {
        recommendations++;
        modelVersion = Math.max(modelVersion, r.modelVersion);
        replayClock = Math.max(replayClock, r.eventTime);
        latestSlates.remove(r.userId); // re-inserted last: the map's order is recency
        latestSlates.put(r.userId, r);
        if (latestSlates.size() > SLATES_SHOWN)
            latestSlates.remove(latestSlates.keySet().iterator().next());
    }

    /** A slate of the policy-slates topic (every policy's, when the job publishes them): the latest per policy. */
    public synchronized void addPolicySlate(Recommendation r) {
        if (r.policy != null) latestByPolicy.put(r.policy, r);
    }

    public synchronized void addDeadLetter() {
        deadLetters++;
    }

    /** A learner publication on the actor-weights topic: when, the learner's step, its achieved replay ratio. */
    public synchronized void addPublication(long wallMs, long step, double replayRatio) {
        bounded(publications, new double[] {wallMs, step, replayRatio});
    }

    /**
     * One wall-clock sample: {@code eventsInTotal} is the rating topic's size (its end offsets), or -1 when unknown;
     * the rates are what changed since the previous sample.
     */
    public synchronized void sample(long wallMs, long eventsInTotal) {
        if (eventsInTotal >= 0) eventsIn = eventsInTotal;
        if (lastRateAt > 0 && wallMs > lastRateAt) {
            double seconds = (wallMs - lastRateAt) / 1000.0;
            double events = eventsAtLastRate < 0 || eventsInTotal < 0 ? Double.NaN : (eventsInTotal - eventsAtLastRate);
            bounded(
                    rates,
                    new double[] {wallMs, events / seconds, (recommendations - recommendationsAtLastRate) / seconds});
        }
        lastRateAt = wallMs;
        recommendationsAtLastRate = recommendations;
        eventsAtLastRate = eventsInTotal;
    }

    /** What keeps the feed from reading (shown on the page), or null. */
    public synchronized void feedError(String error) {
        feedError = error;
    }

    /** The job's state and metrics (name → value) as Flink's REST API reported them at {@code wallMs}. */
    public synchronized void jobMetrics(long wallMs, String state, Map<String, Double> values) {
        jobState = state;
        jobLatest.clear();
        jobLatest.putAll(values);
        values.forEach((name, v) -> {
            if (Double.isFinite(v))
                bounded(jobSeries.computeIfAbsent(name, n -> new ArrayDeque<>()), new double[] {wallMs, v});
        });
    }

    private static void bounded(Deque<double[]> series, double[] point) {
        series.addLast(point);
        while (series.size() > MAX_SAMPLES) series.removeFirst();
    }

    /** The data endpoint's JSON: everything the page draws. */
    public synchronized byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("title", title);
        root.put("updated", System.currentTimeMillis());
        ObjectNode status = root.putObject("status");
        status.put("jobState", jobState);
        if (feedError != null) status.put("feedError", feedError);
        status.put("eventsIn", eventsIn);
        status.put("recommendations", recommendations);
        status.put("deadLetters", deadLetters);
        status.put("modelVersion", modelVersion);
        status.put("replayClock", replayClock);
        jobLatest.forEach(status.putObject("job")::put);

        int k = metrics.isEmpty() ? 10 : metrics.get(metrics.size() - 1).k;
        String scope = MetricCurves.windowScope(metrics);
        root.put("k", k);
        root.put("scope", scope);
        root.put("smoothing", scope == null ? "" : MetricCurves.describeSmoothing(scope));
        List<String> shown = List.of("ndcg@" + k, "hit@" + k, "reward");
        ObjectNode colors = root.putObject("colors");
        ObjectNode curves = root.putObject("curves");
        // the leaderboard: each policy's slates and cumulative value of each metric now, best NDCG first
        Map<String, ObjectNode> board = new LinkedHashMap<>();
        for (String metric : shown) {
            ObjectNode byKind = curves.putObject(metric);
            ObjectNode smoothed = byKind.putObject("smoothed");
            ObjectNode cumulative = byKind.putObject("cumulative");
            MetricCurves.of(metrics, scope, metric, MAX_POINTS).forEach((policy, c) -> {
                colors.put(policy, MetricCurves.color(policy));
                points(smoothed.putArray(policy), c.smoothed());
                points(cumulative.putArray(policy), c.cumulative());
                ObjectNode row = board.computeIfAbsent(
                        policy,
                        p -> Json.MAPPER.createObjectNode().put("policy", p).put("slates", c.slates()));
                row.put(metric, c.cumulative().get(c.cumulative().size() - 1).value());
            });
        }
        // the evaluator's own totals, once it has published them (the curves' last values until then)
        for (PolicyMetrics m : latestCumulative.values()) {
            ObjectNode row = board.computeIfAbsent(
                    m.policy, p -> Json.MAPPER.createObjectNode().put("policy", p));
            row.put("slates", m.count);
            for (String metric : shown) {
                Double v = m.values.get(metric);
                if (v != null && Double.isFinite(v)) row.put(metric, v);
            }
        }
        ArrayNode leaderboard = root.putArray("leaderboard");
        board.values().stream()
                .sorted(Comparator.comparingDouble(
                        (ObjectNode r) -> -r.path(shown.get(0)).asDouble()))
                .forEach(leaderboard::add);
        ObjectNode closedLoop = root.putObject("closedLoop");
        MetricCurves.of(metrics, PolicyMetrics.SCOPE_CLOSED_LOOP, "return", MAX_POINTS)
                .forEach((policy, c) -> {
                    colors.put(policy, MetricCurves.color(policy));
                    points(closedLoop.putArray(policy), c.smoothed());
                });

        series(root.putArray("rates"), rates);
        series(root.putArray("publications"), publications);
        ObjectNode job = root.putObject("job");
        jobSeries.forEach((name, s) -> series(job.putArray(name), s));

        ArrayNode slates = root.putArray("slates");
        List<Recommendation> oldestFirst = new ArrayList<>(latestSlates.values());
        for (int i = oldestFirst.size() - 1; i >= 0; i--) slate(slates, oldestFirst.get(i));
        ArrayNode policySlates = root.putArray("policySlates");
        latestByPolicy.values().forEach(r -> slate(policySlates, r));
        return Json.write(root);
    }

    private static void slate(ArrayNode out, Recommendation r) {
        ObjectNode s = out.addObject();
        s.put("user", r.userId);
        s.put("policy", r.policy);
        s.put("modelVersion", r.modelVersion);
        s.put("eventTime", r.eventTime);
        ArrayNode items = s.putArray("items");
        for (RecommendedItem item : r.items) items.add(item.title != null ? item.title : "item " + item.itemId);
    }

    private static void points(ArrayNode out, List<MetricCurves.Point> points) {
        for (MetricCurves.Point p : points) out.addArray().add(p.time()).add((float) p.value());
    }

    private static void series(ArrayNode out, Deque<double[]> samples) {
        for (double[] s : samples) {
            ArrayNode row = out.addArray();
            for (double v : s) {
                if (Double.isFinite(v)) row.add(v);
                else row.addNull();
            }
        }
    }
}
