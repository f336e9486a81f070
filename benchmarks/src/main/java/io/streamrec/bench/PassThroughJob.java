package io.streamrec.bench;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.job.KafkaSinks;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The baseline of the harness: Kafka → Flink keyBy(userId) → Kafka with the job's parallelism, checkpointing,
 * state backend, watermarks and sink delivery guarantee, but no parsing, state or model: each rating's bytes are
 * forwarded to the output topic unchanged.
 */
public final class PassThroughJob {
    private PassThroughJob() {}

    /** One forwarded record: the user id (from the record key) and the untouched value. A Flink POJO. */
    public static class Passed {
        public int userId;
        public byte[] value;

        public Passed() {}
    }

    static final class Deserializer implements KafkaRecordDeserializationSchema<Passed> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Passed> out) {
            Passed p = new Passed();
            byte[] k = record.key();
            int id = 0;
            if (k != null) for (byte b : k) id = id * 10 + (b - '0');
            p.userId = id;
            p.value = record.value();
            out.collect(p);
        }

        @Override
        public TypeInformation<Passed> getProducedType() {
            return TypeInformation.of(Passed.class);
        }
    }

    static final class Serializer implements KafkaRecordSerializationSchema<Passed> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Passed p, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic, null, null, Integer.toString(p.userId).getBytes(), p.value);
        }
    }

    public static JobClient start(StreamExecutionEnvironment env, StreamrecConfig config) throws Exception {
        env.setParallelism(config.getInt(ConfigKey.PARALLELISM));
        var props = config.kafkaProperties();
        props.setProperty("isolation.level", "read_committed");
        KafkaSource<Passed> source = KafkaSource.<Passed>builder()
                .setBootstrapServers(config.get(ConfigKey.BOOTSTRAP_SERVERS))
                .setTopics(config.get(ConfigKey.TOPIC_RATINGS))
                .setGroupId(config.get(ConfigKey.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new Deserializer())
                .setProperties(props)
                .build();
        WatermarkStrategy<Passed> watermarks = WatermarkStrategy.<Passed>forBoundedOutOfOrderness(
                Duration.ofMillis(config.getLong(ConfigKey.OUT_OF_ORDERNESS_MS)));
        env.fromSource(source, watermarks, "ratings")
                .keyBy(p -> p.userId)
                .map(p -> p)
                .returns(Passed.class)
                .name("pass-through")
                .sinkTo(KafkaSinks.create(
                        config, "passthrough", new Serializer(config.get(ConfigKey.TOPIC_RECOMMENDATIONS))))
                .name("out");
        return env.executeAsync("passthrough");
    }
}
