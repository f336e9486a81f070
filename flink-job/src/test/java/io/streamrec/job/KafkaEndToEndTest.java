package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.MovieReader;
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.replay.ReplaySummary;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.testutil.TopicReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine on real parts: a real Kafka broker, the job on a Flink MiniCluster (RocksDB, checkpoints), real DJL.
 * Replays ml-100k from ../shared/data when present, the simulator otherwise, and checks every recommendation.
 */
class KafkaEndToEndTest {
    private static final int K = 10;

    @Test
    void everyRatingYieldsExactlyOneValidSlateInPerUserEventOrder(@TempDir Path tmp) throws Exception {
        Path ml100k = Path.of(System.getProperty("streamrec.shared.data", "../shared/data"))
                .resolve("ml-100k");
        if (Files.isRegularFile(ml100k.resolve("u.data"))) {
            replayAndCheck(
                    RatingsReader.load(ml100k.resolve("u.data")).events().sortByTime(),
                    ItemCatalog.of(MovieReader.read(ml100k.resolve("u.item"))),
                    "at-least-once",
                    tmp);
        } else {
            var data = SyntheticGenerator.generate(SyntheticConfig.of(400, 800, 20_000, 7));
            replayAndCheck(data.events(), ItemCatalog.of(data.movies()), "at-least-once", tmp);
        }
    }

    /** Exactly-once: slates become visible to read_committed readers only when a checkpoint commits their transaction. */
    @Test
    void exactlyOnceDeliveryCommitsEverySlateOnceThroughKafkaTransactions(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(200, 500, 5_000, 11));
        replayAndCheck(data.events(), ItemCatalog.of(data.movies()), "exactly-once", tmp);
    }

    private void replayAndCheck(EventLog events, ItemCatalog catalog, String delivery, Path tmp) throws Exception {

        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            kafka.createTopics(2, "ratings", "recommendations", "ratings-dlq", "metrics");
            StreamrecConfig config = StreamrecConfig.fromArgs(
                    "--eval.sample",
                    "1",
                    "--bootstrap.servers",
                    kafka.bootstrapServers(),
                    "--parallelism",
                    "2",
                    "--learner.enabled",
                    "false",
                    "--k",
                    Integer.toString(K),
                    "--checkpoint.interval.ms",
                    "1000",
                    "--delivery.guarantee",
                    delivery,
                    "--transactional.id.prefix",
                    "e2e-" + System.nanoTime(),
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--policies",
                    "popularity,drr"); // the evaluation rides along, light: see EvaluationJobTest for all policies

            try (ReplayProducer producer = ReplayProducer.create(
                    ProducerSettings.build(kafka.bootstrapServers(), new java.util.Properties(), new ArrayList<>()),
                    ReplayOptions.defaults().withProgressIntervalMillis(0),
                    new PrintStream(OutputStream.nullOutputStream()))) {
                ReplaySummary sent = producer.replay(events, 0);
                assertThat(sent.acknowledged()).isEqualTo(events.size());
            }

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
            JobClient job = StreamrecJob.fromKafka(config, catalog).executeAsync(env, "spine-e2e");
            List<ConsumerRecord<byte[], byte[]>> records;
            List<ConsumerRecord<byte[], byte[]>> metrics;
            try {
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                    reader.readUntil(r -> r.size() >= events.size(), Duration.ofSeconds(60), Duration.ofMinutes(8));
                    records = reader.drain(Duration.ofSeconds(3)); // anything beyond the expected count is a duplicate
                }
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "metrics")) {
                    metrics = reader.readUntil(
                            r -> r.stream()
                                    .map(x -> new String(x.value(), StandardCharsets.UTF_8))
                                    .anyMatch(v -> v.contains("\"drr\"")),
                            Duration.ofSeconds(30),
                            Duration.ofMinutes(2));
                }
            } finally {
                job.cancel().get();
            }

            // Expected, computed independently: each user's requests in replay order, and what they had rated.
            Map<Integer, List<String>> expectedOrder = new HashMap<>();
            Map<String, Set<Integer>> ratedUpTo = new HashMap<>();
            Map<Integer, Set<Integer>> rated = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                RatingEvent e = events.get(i);
                expectedOrder.computeIfAbsent(e.userId, u -> new ArrayList<>()).add(e.requestId());
                Set<Integer> s = rated.computeIfAbsent(e.userId, u -> new HashSet<>());
                s.add(e.itemId);
                ratedUpTo.put(e.requestId(), Set.copyOf(s));
            }

            assertThat(records).hasSize(events.size());
            Map<Integer, List<String>> actualOrder = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(TopicSchemas.violations("recommendations", r.value()))
                        .as("schema")
                        .isEmpty();
                Recommendation rec = Json.read(r.value(), Recommendation.class);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(rec.userId));
                assertThat(seen.add(rec.requestId))
                        .as("duplicate " + rec.requestId)
                        .isTrue();
                Set<Integer> before = ratedUpTo.get(rec.requestId);
                assertThat(before).as("unknown request " + rec.requestId).isNotNull();
                List<Integer> ids = rec.items.stream().map(i -> i.itemId).toList();
                assertThat(ids).hasSize(K).doesNotHaveDuplicates().doesNotContainAnyElementsOf(before);
                assertThat(rec.items).allSatisfy(i -> assertThat(i.title).isNotBlank());
                actualOrder.computeIfAbsent(rec.userId, u -> new ArrayList<>()).add(rec.requestId);
            }
            assertThat(actualOrder).isEqualTo(expectedOrder);

            // the online evaluation's records on the metrics topic, keyed by policy, schema-valid
            assertThat(metrics).isNotEmpty();
            for (ConsumerRecord<byte[], byte[]> r : metrics) {
                assertThat(TopicSchemas.violations("metrics", r.value()))
                        .as("metrics schema")
                        .isEmpty();
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isIn("popularity", "drr");
            }
        }
    }
}
