package io.streamrec.embedded;

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

/** Reads the {@code metrics} topic at the end of the demo and formats the latest cumulative record of each policy. */
final class MetricsSummary {
    private MetricsSummary() {}

    /** The latest cumulative record per policy, read until nothing new arrived for {@code quiet}. */
    static List<PolicyMetrics> latestCumulative(String bootstrapServers, String topic, Properties kafka, Duration quiet, Duration timeout) {
        Map<String, PolicyMetrics> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = LiveMonitor.readCommittedConsumer(bootstrapServers, kafka, "streamrec-demo-summary-" + System.nanoTime())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - lastNew < quiet.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    lastNew = System.nanoTime();
                    try {
                        PolicyMetrics m = Json.read(r.value(), PolicyMetrics.class);
                        if (!PolicyMetrics.SCOPE_CUMULATIVE.equals(m.scope)) continue;
                        PolicyMetrics old = latest.get(m.policy);
                        if (old == null || m.count >= old.count) latest.put(m.policy, m);
                    } catch (Exception e) {
                        // not ours to judge here; the schema tests cover the topic
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }

    static String format(List<PolicyMetrics> cumulative) {
        return SummaryTable.format(cumulative);
    }
}
