package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.emit.JsonRecordSerializer;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Float32Base64;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.CollectingSink;
import io.streamrec.testutil.LogCapture;
import io.streamrec.testutil.TopicReader;
import io.streamrec.weights.WeightsFollower;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning safety through Kafka: while the job serves version 5, a corrupt, a wrongly shaped, a non-finite and an
 * older actor-weights record are published. Each is rejected — the {@code actorWeightsRejected} metric counts it and
 * a WARN line names it — and the slates keep coming from version 5.
 */
class WeightsSafetyTest {
    private static final String REJECTED_LOG = "rejected an actor-weights record";

    @Test
    void badWeightRecordsAreRejectedAndServingKeepsTheLastGoodVersion(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(60, 150, 600, 9));
        EventLog events = data.events();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                LogCapture log = LogCapture.start()) {
            kafka.createTopics(1, "ratings", "recommendations", "ratings-dlq");
            kafka.createTopic("actor-weights", 1, Map.of("cleanup.policy", "compact", "max.message.bytes", "67108864"));
            StreamrecConfig config = StreamrecConfig.fromArgs(
                    "--bootstrap.servers",
                    kafka.bootstrapServers(),
                    "--parallelism",
                    "1",
                    "--eval.enabled",
                    "false",
                    "--actor.embedding.dim",
                    "16",
                    "--actor.hidden.dim",
                    "32",
                    "--learner.critic.hidden.dim",
                    "16",
                    "--learner.batch.size",
                    "16",
                    "--publish.every.steps",
                    "1000000",
                    "--checkpoint.interval.ms",
                    "2000",
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--state.backend",
                    "hashmap");
            ActorSettings settings = StageSettings.actor(config);
            ActorWeights good = ActorWeights.seeded(settings, catalog).withVersion(5);

            // the bad records, in the order they are published
            Map<String, byte[]> bad = new LinkedHashMap<>();
            bad.put(
                    "corrupt (one digit changed: checksum)",
                    changeFirstValue(ActorWeightsCodec.encode(good.withVersion(6)), "flip"));
            bad.put(
                    "wrong shape (d=8 while serving d=16)",
                    ActorWeightsCodec.encode(
                            ActorWeights.seeded(StageSettings.actor(config.with(ConfigKey.EMBEDDING_DIM, 8)), catalog)
                                    .withVersion(7)));
            bad.put(
                    "non-finite (a weight of +Infinity)",
                    changeFirstValue(ActorWeightsCodec.encode(good.withVersion(8)), "Infinity"));
            bad.put("older version (v3)", ActorWeightsCodec.encode(good.withVersion(3)));

            try (KafkaProducer<String, byte[]> weights = weightsProducer(kafka.bootstrapServers())) {
                weights.send(new ProducerRecord<>("actor-weights", "full", ActorWeightsCodec.encode(good)))
                        .get();

                // the job's own learner publishes nowhere here: serving follows only what this test writes
                WeightsFollower.Source follow =
                        new WeightsFollower.Source(kafka.bootstrapServers(), "actor-weights", config.kafkaProperties());
                StreamrecJob streamrec = new StreamrecJob(
                        StreamrecJob.kafkaSource(config),
                        KafkaSinks.create(
                                config,
                                "recommendations",
                                new JsonRecordSerializer<Recommendation>(
                                        "recommendations", r -> Integer.toString(r.userId))),
                        KafkaSinks.create(
                                config, "dlq", new JsonRecordSerializer<DeadLetter>("ratings-dlq", d -> null)),
                        null,
                        config,
                        catalog,
                        new StreamrecJob.Learning(new CollectingSink<>(), new CollectingSink<>(), follow));
                Configuration flink = CollectingMetricReporter.enable(StreamrecJob.flinkConfiguration(config));
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
                JobClient job = streamrec.executeAsync(env, "weights-safety");
                int half = events.size() / 2;
                List<ConsumerRecord<byte[], byte[]>> recs;
                long rejected;
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                    replay(
                            kafka.bootstrapServers(),
                            events,
                            ReplayOptions.defaults().withLimit(half));
                    List<ConsumerRecord<byte[], byte[]>> before =
                            reader.readUntil(r -> r.size() >= half, Duration.ofSeconds(60), Duration.ofMinutes(2));
                    assertThat(versions(before))
                            .as("serving the good version first")
                            .containsOnly(5L);

                    for (byte[] record : bad.values())
                        weights.send(new ProducerRecord<>("actor-weights", "full", record))
                                .get();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (CollectingMetricReporter.sum("actorWeightsRejected") < bad.size()
                            && System.nanoTime() < deadline) Thread.sleep(100);
                    rejected = CollectingMetricReporter.sum("actorWeightsRejected");

                    replay(
                            kafka.bootstrapServers(),
                            events,
                            ReplayOptions.defaults().withSkip(half));
                    recs = reader.readUntil(
                            r -> r.size() >= events.size(), Duration.ofSeconds(60), Duration.ofMinutes(2));
                } finally {
                    job.cancel().get();
                }

                assertThat(rejected).as("actorWeightsRejected").isEqualTo(bad.size());
                assertThat(recs).hasSize(events.size());
                assertThat(versions(recs.subList(half, recs.size())))
                        .as("after the bad records")
                        .containsOnly(5L);
                List<String> lines =
                        log.text().lines().filter(l -> l.contains(REJECTED_LOG)).toList();
                assertThat(lines).hasSize(bad.size());
                assertThat(lines.get(0)).contains("checksum");
                assertThat(lines.get(1)).contains("shape d=8");
                assertThat(lines.get(2)).containsAnyOf("finite", "Infinity");
                assertThat(lines.get(3)).contains("stale actor weights v3");
                System.out.printf(
                        "[weights-safety] published=%d rejected=%d logLines=%d recs=%d servedVersions=%s%n",
                        bad.size(),
                        rejected,
                        lines.size(),
                        recs.size(),
                        versions(recs).stream().distinct().toList());
            }
        }
    }

    /**
     * The snapshot with the first value of its first tensor replaced ({@code flip}: one mantissa bit changed, as a
     * corrupted byte would; else the given value), in the record's own base64 float32 form.
     */
    private static byte[] changeFirstValue(byte[] json, String replacement) throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(json);
        ObjectNode tensor = (ObjectNode) doc.get("tensors").elements().next();
        float[] values = Float32Base64.decode(tensor.get("values").asText());
        float before = values[0];
        values[0] = replacement.equals("flip")
                ? Float.intBitsToFloat(Float.floatToIntBits(before) ^ 1)
                : Float.parseFloat(replacement);
        assertThat(Float.floatToIntBits(values[0])).isNotEqualTo(Float.floatToIntBits(before));
        tensor.put("values", Float32Base64.encode(values));
        return Json.write(doc);
    }

    private static List<Long> versions(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Long> v = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                v.add(Json.read(r.value(), Recommendation.class).modelVersion);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return v;
    }

    private static KafkaProducer<String, byte[]> weightsProducer(String bootstrap) {
        Properties user = new Properties();
        user.setProperty("max.request.size", "67108864");
        return new KafkaProducer<>(ProducerSettings.build(bootstrap, user, new ArrayList<>()));
    }

    private static void replay(String bootstrap, EventLog events, ReplayOptions options) {
        try (ReplayProducer p = ReplayProducer.create(
                ProducerSettings.build(bootstrap, new Properties(), new ArrayList<>()),
                options.withProgressIntervalMillis(0),
                new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(p.replay(events, 0).failed()).isZero();
        }
    }
}
