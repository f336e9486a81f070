package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The actor-weights topic is checked before the job starts, on a real broker: a missing topic is created able to hold
 * a full weights record, a topic with the broker's 1 MB default stops the submission with the fix, and a broker that
 * does not answer is reported instead of hanging the submission.
 */
class WeightsTopicCheckTest {
    private static StreamrecConfig config(String servers, String topic) {
        return StreamrecConfig.fromArgs(new String[] {
            "--bootstrap.servers", servers, "--topic.actor.weights", topic, "--publish.max.bytes", "67108864"
        });
    }

    @Test
    void createsAMissingTopicCompactedAndRejectsOneTooSmallForAFullRecord() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.startEmbedded()) {
            StreamrecConfig missing = config(kafka.bootstrapServers(), "weights-new");
            assertThat(WeightsTopicCheck.ensure(missing)).isEqualTo(WeightsTopicCheck.Outcome.CREATED);
            Config created = describe(kafka.bootstrapServers(), "weights-new");
            assertThat(created.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(created.get("max.message.bytes").value()).isEqualTo("67108864");
            assertThat(WeightsTopicCheck.ensure(missing)).isEqualTo(WeightsTopicCheck.Outcome.SUFFICIENT);

            kafka.createTopic("weights-small", 1, Map.of("max.message.bytes", "1048576"));
            assertThatThrownBy(() -> WeightsTopicCheck.ensure(config(kafka.bootstrapServers(), "weights-small")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("at most 1048576 bytes")
                    .hasMessageContaining("--entity-name weights-small --add-config max.message.bytes=67108864");
        }
    }

    /** ML-25M's 62,423 items × d 100 make a 35 MB full snapshot: above the producer's default 32 MiB buffer. */
    @Test
    void theWeightsProducerSendsARecordLargerThanKafkasDefaultBuffer() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.startEmbedded()) {
            StreamrecConfig config = config(kafka.bootstrapServers(), "weights-large");
            WeightsTopicCheck.ensure(config);
            Properties p = StreamrecJob.weightsProducerProperties(config);
            p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            byte[] snapshot = new byte[40 << 20];
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                RecordMetadata sent = producer.send(new ProducerRecord<>("weights-large", "full".getBytes(), snapshot))
                        .get(60, TimeUnit.SECONDS);
                assertThat(sent.serializedValueSize()).isEqualTo(snapshot.length);
            }
            // the same producer with Kafka's default buffer refuses it
            p.remove(ProducerConfig.BUFFER_MEMORY_CONFIG);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("weights-large", snapshot))
                                .get(60, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(RecordTooLargeException.class);
            }
        }
    }

    @Test
    void anUnreachableBrokerIsReportedNotWaitedFor() {
        long start = System.nanoTime();
        assertThat(WeightsTopicCheck.ensure(config("127.0.0.1:1", "weights"), 2))
                .isEqualTo(WeightsTopicCheck.Outcome.UNREACHABLE);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(20);
    }

    private static Config describe(String servers, String topic) throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(p)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(r)).all().get().get(r);
        }
    }
}
