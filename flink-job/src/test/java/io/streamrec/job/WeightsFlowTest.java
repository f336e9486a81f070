package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.schema.Transition;
import io.streamrec.testutil.TopicReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test (b) on real parts (Kafka broker, MiniCluster): the learner publishes increasing versions to the compacted
 * actor-weights topic, every record valid and chaining (full, then deltas on their base); transitions are written;
 * serving follows the topic: once it serves a version on every subtask, every later slate carries at least that
 * version (waited on with probe ratings, not timed).
 */
class WeightsFlowTest {
    @Test
    void learnedVersionsReachServingAndServingNeverGoesBack(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(120, 200, 6_000, 5));
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        int half = data.events().size() / 2;
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            kafka.createTopics(2, "ratings", "recommendations", "ratings-dlq", "transitions");
            kafka.createTopic("actor-weights", 1, Map.of("cleanup.policy", "compact", "max.message.bytes", "67108864"));
            StreamrecConfig config = StreamrecConfig.fromArgs(
                    "--bootstrap.servers",
                    kafka.bootstrapServers(),
                    "--parallelism",
                    "2",
                    "--k",
                    "5",
                    "--actor.embedding.dim",
                    "8",
                    "--actor.hidden.dim",
                    "16",
                    "--learner.critic.hidden.dim",
                    "16",
                    "--learner.batch.size",
                    "16",
                    "--publish.every.steps",
                    "25",
                    "--publish.interval.ms",
                    "500",
                    "--publish.full.every",
                    "3",
                    "--checkpoint.interval.ms",
                    "2000",
                    "--explore.epsilon.start",
                    "0.1",
                    "--explore.epsilon.end",
                    "0.01",
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--state.backend",
                    "hashmap");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
            JobClient job = StreamrecJob.fromKafka(config, catalog).executeAsync(env, "weights-flow");
            try (TopicReader weightsReader = new TopicReader(kafka.bootstrapServers(), "actor-weights");
                    TopicReader recReader = new TopicReader(kafka.bootstrapServers(), "recommendations");
                    TopicReader transitionReader = new TopicReader(kafka.bootstrapServers(), "transitions")) {
                EventLog first = new EventLog();
                for (int i = 0; i < half; i++) first.add(data.events().get(i));
                replay(kafka, first, ReplayOptions.defaults());
                List<ConsumerRecord<byte[], byte[]>> weights =
                        weightsReader.readUntil(r -> r.size() >= 2, Duration.ofSeconds(90), Duration.ofSeconds(120));
                assertThat(weights).as("published versions").hasSizeGreaterThanOrEqualTo(2);
                ConsumerRecord<byte[], byte[]> mark = weights.get(weights.size() - 1);
                long markVersion = versionOf(mark.value());
                long markTime = mark.timestamp();

                // Serving follows the topic on every subtask: rounds of probe ratings, by users of both serving
                // subtasks, until a whole round is answered with at least the mark's version — waited on, not slept;
                // the time it took is measured, not asserted (a loaded machine may take longer).
                long sent = half;
                long switchMs = -1;
                for (int round = 0; switchMs < 0; round++) {
                    assertThat(round)
                            .as("probe rounds before serving followed v%d", markVersion)
                            .isLessThan(200);
                    EventLog probes =
                            probes(config, data.events().timestamp(half - 1), catalog.itemIdAt(round % 50), round);
                    replay(kafka, probes, ReplayOptions.defaults());
                    sent += probes.size();
                    Set<String> ids = new HashSet<>();
                    for (int i = 0; i < probes.size(); i++)
                        ids.add(probes.get(i).requestId());
                    long target = sent;
                    List<ConsumerRecord<byte[], byte[]>> answered =
                            recReader.readUntil(r -> r.size() >= target, Duration.ofSeconds(60), Duration.ofMinutes(2));
                    boolean followed = true;
                    for (ConsumerRecord<byte[], byte[]> r : answered) {
                        Recommendation rec = Json.read(r.value(), Recommendation.class);
                        if (ids.contains(rec.requestId)) followed &= rec.modelVersion >= markVersion;
                    }
                    if (followed) switchMs = System.currentTimeMillis() - markTime;
                }
                // From here on, each subtask serves v >= mark (versions never go back): the whole second half must.
                EventLog secondHalfEvents = new EventLog();
                for (int i = half; i < data.events().size(); i++)
                    secondHalfEvents.add(data.events().get(i));
                Set<String> secondHalf = new HashSet<>();
                for (int i = 0; i < secondHalfEvents.size(); i++)
                    secondHalf.add(secondHalfEvents.get(i).requestId());
                replay(kafka, secondHalfEvents, ReplayOptions.defaults());
                long total = sent + secondHalfEvents.size();
                List<ConsumerRecord<byte[], byte[]>> recs =
                        recReader.readUntil(r -> r.size() >= total, Duration.ofSeconds(60), Duration.ofMinutes(4));
                weights = weightsReader.drain(Duration.ofSeconds(1));
                List<ConsumerRecord<byte[], byte[]>> transitions =
                        transitionReader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(10), Duration.ofSeconds(30));
                job.cancel().get();

                // Weights: valid, strictly increasing, full first, each delta on top of its predecessor.
                ActorWeights chain = null;
                long last = 0;
                for (ConsumerRecord<byte[], byte[]> r : weights) {
                    assertThat(TopicSchemas.violations("actor-weights", r.value()))
                            .isEmpty();
                    long v = versionOf(r.value());
                    assertThat(v).isGreaterThan(last);
                    last = v;
                    chain = chain == null
                            ? ActorWeightsCodec.decodeFull(r.value())
                            : ActorWeightsCodec.applyTo(chain, r.value());
                    assertThat(chain.version()).isEqualTo(v);
                }
                assertThat(last).isGreaterThanOrEqualTo(2);

                // Serving switched: every slate of the second half carries at least the mark's version.
                assertThat(recs).hasSize((int) total);
                long checked = 0;
                long maxVersion = 0;
                long explored = 0;
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    assertThat(TopicSchemas.violations("recommendations", r.value()))
                            .isEmpty();
                    Recommendation rec = Json.read(r.value(), Recommendation.class);
                    maxVersion = Math.max(maxVersion, rec.modelVersion);
                    explored += rec.items.stream().filter(i -> i.explored).count();
                    if (secondHalf.contains(rec.requestId)) {
                        checked++;
                        assertThat(rec.modelVersion)
                                .as("second-half slate %s, after serving followed v%d", rec.requestId, markVersion)
                                .isGreaterThanOrEqualTo(markVersion);
                    }
                }
                assertThat(maxVersion).isGreaterThanOrEqualTo(markVersion);
                assertThat(checked).as("second-half slates").isEqualTo(secondHalf.size());
                assertThat(explored).as("explored items marked").isPositive();
                System.out.printf(
                        "weights-flow: %d versions (last v%d), mark v%d followed by both subtasks %d ms after its "
                                + "publication, %d second-half slates checked, max served v%d, %d explored items, "
                                + "%d transitions read%n",
                        weights.size(), last, markVersion, switchMs, checked, maxVersion, explored, transitions.size());

                // A new job without a checkpoint resumes from the latest published version: numbering continues.
                StreamrecConfig again = config.withAll(Map.of(
                        "group.id",
                        "streamrec-again",
                        "checkpoint.dir",
                        tmp.resolve("cp2").toUri().toString()));
                JobClient second = StreamrecJob.fromKafka(again, catalog)
                        .executeAsync(
                                StreamExecutionEnvironment.getExecutionEnvironment(
                                        StreamrecJob.flinkConfiguration(again)),
                                "weights-flow-2");
                int before = weights.size();
                List<ConsumerRecord<byte[], byte[]>> more = weightsReader.readUntil(
                        r -> r.size() > before, Duration.ofSeconds(90), Duration.ofSeconds(120));
                second.cancel().get();
                assertThat(more).hasSizeGreaterThan(before);
                assertThat(versionOf(more.get(before).value()))
                        .as("first version of the restarted learner")
                        .isGreaterThan(last);

                // Transitions: valid against the schema.
                assertThat(transitions).isNotEmpty();
                for (ConsumerRecord<byte[], byte[]> r : transitions) {
                    assertThat(TopicSchemas.violations("transitions", r.value()))
                            .isEmpty();
                    Transition t = Json.read(r.value(), Transition.class);
                    assertThat(t.eventTime).isGreaterThanOrEqualTo(t.recommendedAt);
                    assertThat(t.action).hasSize(8);
                }
            }
        }
    }

    /**
     * One rating each by new users (ids from 800,000) at {@code time}, enough of them that both serving subtasks (the
     * key groups of parallelism 2) have at least one.
     */
    private static EventLog probes(StreamrecConfig config, long time, int itemId, int round) {
        int maxParallelism = config.getInt(ConfigKey.MAX_PARALLELISM);
        EventLog probes = new EventLog();
        boolean[] covered = new boolean[2];
        for (int u = 800_000 + round * 100; !(covered[0] && covered[1]) || probes.size() < 4; u++) {
            covered[KeyGroupRangeAssignment.assignKeyToParallelOperator(u, maxParallelism, 2)] = true;
            probes.add(u, itemId, 4f, time);
        }
        return probes;
    }

    static long versionOf(byte[] json) {
        return ActorWeightsCodec.isFull(json)
                ? ActorWeightsCodec.decodeFull(json).version()
                : ActorWeightsCodec.decodeDelta(json).version();
    }

    private static void replay(KafkaTestBroker kafka, EventLog events, ReplayOptions options) throws Exception {
        try (ReplayProducer producer = ReplayProducer.create(
                ProducerSettings.build(kafka.bootstrapServers(), new java.util.Properties(), new ArrayList<>()),
                options.withProgressIntervalMillis(0),
                new PrintStream(OutputStream.nullOutputStream()))) {
            producer.replay(events, 0);
        }
    }
}
