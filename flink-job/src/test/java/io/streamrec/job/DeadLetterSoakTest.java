package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.ingest.DuplicateRatingFilter;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.schema.Topics;
import io.streamrec.testutil.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never stops the job: over 10,000 bad records of every kind (non-JSON, missing, wrong-typed and unknown
 * fields, bad ids, ratings and timestamps, NaN/Infinity, ~1 MB and oversized payloads, tombstones, exact duplicates)
 * mixed with good ratings go through a real broker and the job on a MiniCluster with restarts disabled; every good
 * rating gets exactly one slate and every bad record is in ratings-dlq with its original bytes and a reason.
 */
class DeadLetterSoakTest {
    private static final int BAD = 10_500;
    private static final int ONE_MB = 1_000_000;

    /** A record to produce: key (null for most bad ones) and value; {@code good} is the event it carries, if valid. */
    private record Sent(String key, byte[] value, RatingEvent good) {}

    @Test
    void everyBadRecordReachesTheDlqWithItsBytesAndEveryGoodOneGetsOneSlate(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(150, 300, 2_500, 21));
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        List<Sent> sent = mix(data.events().asList(), new Random(20261124L));
        List<Sent> bad = sent.stream().filter(s -> s.good() == null).toList();
        List<RatingEvent> good =
                sent.stream().filter(s -> s.good() != null).map(Sent::good).toList();
        assertThat(bad).hasSizeGreaterThanOrEqualTo(10_000);
        // a replay is a duplicate only while its item's latest rating is the replayed one: the data rates each item
        // once per user
        assertThat(good.stream().map(e -> e.userId + "/" + e.itemId).distinct().count())
                .isEqualTo(good.size());

        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            Map<String, String> large = Map.of("max.message.bytes", Integer.toString(Topics.LARGE_RECORD_MAX_BYTES));
            kafka.createTopic("ratings", 2, large);
            kafka.createTopic("ratings-dlq", 1, large);
            kafka.createTopics(2, "recommendations");
            StreamrecConfig config = StreamrecConfig.fromArgs(
                    "--bootstrap.servers",
                    kafka.bootstrapServers(),
                    "--parallelism",
                    "2",
                    "--learner.enabled",
                    "false",
                    "--eval.enabled",
                    "false",
                    "--actor.embedding.dim",
                    "16",
                    "--actor.hidden.dim",
                    "32",
                    "--checkpoint.interval.ms",
                    "2000",
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--state.backend",
                    "hashmap");
            produce(kafka.bootstrapServers(), sent);

            Configuration flink = StreamrecJob.flinkConfiguration(config);
            // Any exception in the job fails it instead of restarting it silently: RUNNING at the end means no restart.
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            CollectingMetricReporter.enable(flink);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            JobClient job = StreamrecJob.fromKafka(config, catalog).executeAsync(env, "dlq-soak");
            long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status(job) != JobStatus.RUNNING && System.nanoTime() < waitUntil) Thread.sleep(50);
            List<ConsumerRecord<byte[], byte[]>> recs;
            List<ConsumerRecord<byte[], byte[]>> dlq;
            Set<JobStatus> statuses = new HashSet<>();
            long deadLetterMetric;
            long restartsMetric;
            try {
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                    recs = reader.readUntil(
                            r -> {
                                statuses.add(status(job));
                                return r.size() >= good.size();
                            },
                            Duration.ofSeconds(60),
                            Duration.ofMinutes(4));
                }
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "ratings-dlq")) {
                    dlq = reader.readUntil(
                            r -> {
                                statuses.add(status(job));
                                return r.size() >= bad.size();
                            },
                            Duration.ofSeconds(60),
                            Duration.ofMinutes(4));
                    dlq = reader.drain(Duration.ofSeconds(2));
                }
                statuses.add(status(job));
                deadLetterMetric = CollectingMetricReporter.sum(".dlq-soak.", "deadLetters");
                restartsMetric = CollectingMetricReporter.has(".dlq-soak.", "numRestarts")
                        ? CollectingMetricReporter.sum(".dlq-soak.", "numRestarts")
                        : -1;
            } finally {
                job.cancel().get();
            }

            // every good rating: exactly one slate
            Map<String, Integer> slates = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : recs)
                slates.merge(Json.read(r.value(), Recommendation.class).requestId, 1, Integer::sum);
            Set<String> expected = new HashSet<>();
            for (RatingEvent e : good) expected.add(e.requestId());
            assertThat(slates.keySet()).isEqualTo(expected);
            assertThat(slates.values()).allMatch(n -> n == 1);

            // every bad record: in the DLQ once, with its original bytes (or their first dlq.max.payload.bytes) and a
            // reason
            Map<String, Integer> expectedPayloads = new HashMap<>();
            for (Sent s : bad) expectedPayloads.merge(base64(s.value()), 1, Integer::sum);
            Map<String, Integer> reasons = new HashMap<>();
            int truncated = 0;
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                assertThat(TopicSchemas.violations("ratings-dlq", r.value()))
                        .as("dlq schema")
                        .isEmpty();
                DeadLetter d = Json.read(r.value(), DeadLetter.class);
                assertThat(d.reason).isNotBlank();
                assertThat(d.sourceTopic).isEqualTo("ratings");
                assertThat(d.offset).isNotNull();
                String payload = d.payloadBase64;
                if (d.truncated) {
                    truncated++;
                    byte[] kept = Base64.getDecoder().decode(payload);
                    assertThat(kept).hasSize(config.getInt(ConfigKey.DLQ_MAX_PAYLOAD_BYTES));
                    payload = bad.stream()
                            .filter(s -> s.value() != null
                                    && s.value().length == d.originalSize
                                    && Arrays.equals(s.value(), 0, kept.length, kept, 0, kept.length))
                            .map(s -> base64(s.value()))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("truncated dead letter matches no sent record"));
                }
                Integer left = expectedPayloads.computeIfPresent(payload, (k, n) -> n - 1);
                assertThat(left)
                        .as("dead letter with unexpected or repeated payload: " + d.reason)
                        .isNotNull()
                        .isGreaterThanOrEqualTo(0);
                reasons.merge(d.reason.replaceAll("[:(].*", ""), 1, Integer::sum);
            }
            assertThat(dlq).hasSize(bad.size());
            assertThat(expectedPayloads.values()).allMatch(n -> n == 0);
            assertThat(reasons.get(DuplicateRatingFilter.REASON.replaceAll("[:(].*", "")))
                    .isEqualTo((int) duplicates(bad));
            assertThat(truncated).isEqualTo(1);
            assertThat(statuses).containsOnly(JobStatus.RUNNING);
            assertThat(deadLetterMetric).as("deadLetters metric, all operators").isEqualTo(bad.size());
            assertThat(restartsMetric).as("numRestarts metric").isZero();
            System.out.printf(
                    "[dlq-soak] good=%d bad=%d recs=%d dlq=%d deadLettersMetric=%d truncated=%d statuses=%s restarts=%d reasons=%s%n",
                    good.size(),
                    bad.size(),
                    recs.size(),
                    dlq.size(),
                    deadLetterMetric,
                    truncated,
                    statuses,
                    restartsMetric,
                    reasons);
        }
    }

    /** Good events in order, with BAD bad records inserted at random places; duplicates replay an already sent event. */
    private static List<Sent> mix(List<RatingEvent> events, Random rng) {
        List<Sent> out = new ArrayList<>();
        int next = 0;
        int badLeft = BAD;
        int kinds = 0;
        while (next < events.size() || badLeft > 0) {
            boolean sendGood =
                    next < events.size() && (badLeft == 0 || rng.nextInt(events.size() + BAD) < events.size());
            if (sendGood) {
                RatingEvent e = events.get(next++);
                out.add(new Sent(Integer.toString(e.userId), Json.write(e), e));
            } else {
                out.add(badRecord(kinds++ % 18, events, next, rng, badLeft));
                badLeft--;
            }
        }
        return out;
    }

    private static Sent badRecord(int kind, List<RatingEvent> events, int sentSoFar, Random rng, int badLeft) {
        long ts = 1_000_000_000_000L + rng.nextInt(1_000_000);
        int u = 1 + rng.nextInt(150), i = 1 + rng.nextInt(300);
        // the three large ones come last in the cycle, once each: ~1 MB text, ~1 MB JSON, and one beyond
        // dlq.max.payload.bytes
        if (badLeft == 3) return bad("x".repeat(ONE_MB));
        if (badLeft == 2)
            return bad("{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":" + ts + ",\"pad\":\""
                    + "y".repeat(ONE_MB) + "\"}");
        if (badLeft == 1) return bad("z".repeat(1_500_000));
        return switch (kind) {
            case 0 -> bad("not json " + rng.nextLong());
            case 1 -> bad("{\"userId\":" + u + ",\"itemId\":");
            case 2 -> bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":4}");
            case 3 -> bad("{\"userId\":\"" + u + "\",\"itemId\":" + i + ",\"rating\":4,\"timestamp\":" + ts + "}");
            case 4 -> bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":\"five\",\"timestamp\":" + ts + "}");
            case 5 ->
                bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":4,\"timestamp\":" + ts
                        + ",\"mood\":\"happy\"}");
            case 6 -> bad("{\"userId\":0,\"itemId\":" + i + ",\"rating\":4,\"timestamp\":" + ts + "}");
            case 7 -> bad("{\"userId\":" + u + ",\"itemId\":-" + i + ",\"rating\":4,\"timestamp\":" + ts + "}");
            case 8 ->
                bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":" + (rng.nextBoolean() ? "7.5" : "0")
                        + ",\"timestamp\":" + ts + "}");
            case 9 -> bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":NaN,\"timestamp\":" + ts + "}");
            case 10 -> bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":1e999,\"timestamp\":" + ts + "}");
            case 11 ->
                bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":4,\"timestamp\":"
                        + (1000 + rng.nextInt(1000)) + "}");
            case 12 ->
                bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":4,\"timestamp\":"
                        + (System.currentTimeMillis() + 400L * 86_400_000) + "}");
            case 13 -> bad(rng.nextBoolean() ? "[1,2,3]" : "");
            case 14 -> new Sent(null, null, null); // tombstone
            case 15 ->
                bad("{\"userId\":" + u + ",\"itemId\":" + i + ",\"rating\":4,\"timestamp\":" + ts + "} trailing");
            default -> { // 16, 17: an exact replay of a good rating already sent (same key, so it follows the original)
                if (sentSoFar == 0) yield bad("not json yet");
                RatingEvent e = events.get(rng.nextInt(sentSoFar));
                yield new Sent(Integer.toString(e.userId), Json.write(e), null);
            }
        };
    }

    private static Sent bad(String text) {
        return new Sent(null, text.getBytes(StandardCharsets.UTF_8), null);
    }

    private static long duplicates(List<Sent> bad) {
        return bad.stream().filter(s -> s.key() != null).count(); // only replays of good ratings carry a key
    }

    private static String base64(byte[] v) {
        return v == null ? "" : Base64.getEncoder().encodeToString(v);
    }

    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get();
        } catch (Exception e) {
            throw new AssertionError("job status unavailable", e);
        }
    }

    /** Sends everything in order through one idempotent producer whose request limit admits the ~1.5 MB record. */
    private static void produce(String bootstrap, List<Sent> sent) throws Exception {
        Properties user = new Properties();
        user.setProperty("max.request.size", Integer.toString(Topics.LARGE_RECORD_MAX_BYTES));
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(ProducerSettings.build(bootstrap, user, new ArrayList<>()))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Sent s : sent) acks.add(producer.send(new ProducerRecord<>("ratings", s.key(), s.value())));
            producer.flush();
            for (Future<RecordMetadata> a : acks) a.get();
        }
    }
}
