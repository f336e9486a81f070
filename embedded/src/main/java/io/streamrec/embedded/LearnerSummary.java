package io.streamrec.embedded;

import io.streamrec.dashboard.DashboardFeed;
import io.streamrec.weights.WeightsMessageSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** The learner's line of the demo summary, from the headers of the newest record on the actor-weights topic. */
final class LearnerSummary {
    private LearnerSummary() {}

    static String read(String bootstrapServers, String topic, Properties kafka) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                DashboardFeed.readCommittedConsumer(bootstrapServers, kafka, null)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            if (end == 0) return "learner: no weights published";
            consumer.seek(tp, Math.max(0, end - 20));
            ConsumerRecord<byte[], byte[]> last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && (last == null || last.offset() < end - 1)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) last = r;
            }
            if (last == null) return "learner: weights topic unreadable";
            return "learner: at its last publication (offset " + last.offset() + ") "
                    + header(last, WeightsMessageSerializer.TRAIN_STEP_HEADER) + " steps, replay ratio "
                    + header(last, WeightsMessageSerializer.REPLAY_RATIO_HEADER) + " samples per transition ("
                    + header(last, WeightsMessageSerializer.LEARNER_HEADER) + ")";
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
