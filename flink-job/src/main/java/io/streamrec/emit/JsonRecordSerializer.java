package io.streamrec.emit;

import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes any streamrec type as the JSON of its topic schema, keyed so that one user's records stay in one partition. */
public class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;

    /** @param key the record key, or a function returning null for unkeyed records */
    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                null,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                element instanceof Recommendation r ? RecommendationJson.write(r) : Json.write(element));
    }
}
