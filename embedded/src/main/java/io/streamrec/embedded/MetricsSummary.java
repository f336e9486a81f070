package io.streamrec.embedded;

import io.streamrec.dashboard.DashboardFeed;
import io.streamrec.eval.SummaryTable;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the {@code metrics} topic at the end of the demo: the latest cumulative record of each policy, and each
 * policy's event-count windows in replay order (how a learning policy's reward moves over the replay), and every
 * record (for the run report).
 */
final class MetricsSummary {
    /** What the topic held: the latest cumulative record per policy, and the event windows per policy. */
    record Read(List<PolicyMetrics> cumulative, Map<String, List<PolicyMetrics>> windows, List<PolicyMetrics> all) {}

    private MetricsSummary() {}

    /** Reads the topic until nothing new arrived for {@code quiet}. */
    static Read read(String bootstrapServers, String topic, Properties kafka, Duration quiet, Duration timeout) {
        Map<String, PolicyMetrics> latest = new LinkedHashMap<>();
        Map<String, List<PolicyMetrics>> windows = new LinkedHashMap<>();
        List<PolicyMetrics> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = DashboardFeed.readCommittedConsumer(
                bootstrapServers, kafka, "streamrec-demo-summary-" + System.nanoTime())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - lastNew < quiet.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    lastNew = System.nanoTime();
                    try {
                        PolicyMetrics m = Json.read(r.value(), PolicyMetrics.class);
                        all.add(m);
                        if (PolicyMetrics.SCOPE_EVENTS.equals(m.scope))
                            windows.computeIfAbsent(m.policy, p -> new ArrayList<>())
                                    .add(m);
                        if (!PolicyMetrics.SCOPE_CUMULATIVE.equals(m.scope)) continue;
                        PolicyMetrics old = latest.get(m.policy);
                        if (old == null || m.count >= old.count) latest.put(m.policy, m);
                    } catch (Exception e) {
                        // not ours to judge here; the schema tests cover the topic
                    }
                }
            }
        }
        for (List<PolicyMetrics> w : windows.values()) w.sort(java.util.Comparator.comparingLong(m -> m.eventsSeen));
        return new Read(new ArrayList<>(latest.values()), windows, all);
    }

    static String format(List<PolicyMetrics> cumulative) {
        return SummaryTable.format(cumulative);
    }

    /** Rows of the window table at most (evenly spread, the last kept); the dashboard and report show them all. */
    static final int WINDOW_ROWS = 10;

    /** A line per event window of {@code policy} (at most {@value #WINDOW_ROWS}): events, slates, reward, hit@k. */
    static String formatWindows(String policy, List<PolicyMetrics> windows) {
        StringBuilder b = new StringBuilder();
        int n = windows.size();
        for (int row = 0; row < Math.min(n, WINDOW_ROWS); row++) {
            PolicyMetrics m =
                    windows.get(n <= WINDOW_ROWS ? row : (int) Math.round((row + 1) * (n / (double) WINDOW_ROWS)) - 1);
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "  %-10s events %,9d  slates %,7d  reward %7.4f  hit@%d %6.4f%n",
                    policy,
                    m.eventsSeen,
                    m.count,
                    m.values.getOrDefault("reward", Double.NaN),
                    m.k,
                    m.values.getOrDefault("hit@" + m.k, Double.NaN)));
        }
        return b.toString();
    }
}
