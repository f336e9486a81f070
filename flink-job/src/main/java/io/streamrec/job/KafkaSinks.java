package io.streamrec.job;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** Builds the job's Kafka sinks with the configured delivery guarantee (exactly-once: transactions tied to checkpoints). */
public final class KafkaSinks {
    private KafkaSinks() {}

    public static <T> KafkaSink<T> create(
            StreamrecConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
        return create(config, name, serializer, new Properties());
    }

    /** As above, with producer properties for this sink only (e.g. a larger max.request.size). */
    public static <T> KafkaSink<T> create(
            StreamrecConfig config, String name, KafkaRecordSerializationSchema<T> serializer, Properties overrides) {
        Properties props = config.kafkaProperties();
        props.putAll(overrides);
        boolean exactlyOnce = "exactly-once".equals(config.get(ConfigKey.DELIVERY));
        if (exactlyOnce) {
            // Must stay below the broker's transaction.max.timeout.ms or every transaction is refused.
            props.setProperty("transaction.timeout.ms", config.get(ConfigKey.TRANSACTION_TIMEOUT_MS));
        }
        props.putIfAbsent("linger.ms", "5");
        props.putIfAbsent("compression.type", "lz4");
        // A slate is ~1 KB: the default 16 KB batches meant a produce request every ~16 records under load.
        props.putIfAbsent("batch.size", "131072");
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(ConfigKey.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(props)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(config.get(ConfigKey.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .build();
    }
}
