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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the {@code metrics} topic at the end of the demo and formats the latest cumulative record of each policy. */
final class MetricsSummary {
    private MetricsSummary() {}

    /** The latest cumulative record per policy, read until nothing new arrived for {@code quiet}. */
    static List<PolicyMetrics> latestCumulative(String bootstrapServers, String topic, Properties kafka, Duration quiet, Duration timeout) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamrec-demo-summary-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, PolicyMetrics> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
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
