package io.streamrec.weights;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link WeightsMessage} as is: its key, its JSON bytes, and the learner's training step in the header
 * {@value #TRAIN_STEP_HEADER} (decimal), so a reader can see that learning continued across a restore.
 */
public class WeightsMessageSerializer implements KafkaRecordSerializationSchema<WeightsMessage> {
    private static final long serialVersionUID = 1L;
    public static final String TRAIN_STEP_HEADER = "learner-step";
    public static final String REPLAY_RATIO_HEADER = "learner-replay-ratio";
    public static final String LEARNER_HEADER = "learner";
    private final String topic;

    public WeightsMessageSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(WeightsMessage m, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, null, m.key.getBytes(StandardCharsets.UTF_8), m.json);
        record.headers().add(TRAIN_STEP_HEADER, Long.toString(m.trainStep).getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(
                        REPLAY_RATIO_HEADER,
                        String.format(java.util.Locale.ROOT, "%.3f", m.replayRatio)
                                .getBytes(StandardCharsets.UTF_8));
        if (m.learnerInfo != null) record.headers().add(LEARNER_HEADER, m.learnerInfo.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
