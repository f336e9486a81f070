package io.streamrec.emit;

import io.streamrec.learner.WeightsMessage;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a {@link WeightsMessage} as is: its key, its JSON bytes. */
public class WeightsMessageSerializer implements KafkaRecordSerializationSchema<WeightsMessage> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public WeightsMessageSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(WeightsMessage m, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, m.key.getBytes(StandardCharsets.UTF_8), m.json);
    }
}
