package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.EmbeddedKafkaBroker;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.replay.ReplaySummary;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.testutil.TopicReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broker trouble: the only Kafka broker stops for ~10 s in the middle of a paced replay while the job runs, and comes
 * back on the same port and data directory. The producer and the job reconnect by themselves and no event is lost:
 * every rating is acknowledged and answered. At-least-once may repeat slates (counted); exactly-once must not.
 */
class BrokerOutageTest {
    private static final long OUTAGE_MS = 10_000;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void theJobAndTheProducerRideOutABrokerRestartWithoutLosingEvents(String delivery, @TempDir Path tmp)
            throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(100, 200, 3_000, 13));
        EventLog events = data.events();
        try (KafkaTestBroker kafka = KafkaTestBroker.startEmbedded()) {
            EmbeddedKafkaBroker broker = kafka.embedded().orElseThrow();
            kafka.createTopics(2, "ratings", "recommendations");
            kafka.createTopics(1, "ratings-dlq");
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
                    "--state.backend",
                    "hashmap",
                    "--checkpoint.interval.ms",
                    "1000",
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--delivery.guarantee",
                    delivery,
                    "--transactional.id.prefix",
                    "outage-" + System.nanoTime());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
            JobClient job = StreamrecJob.fromKafka(config, ItemCatalog.of(data.movies()))
                    .executeAsync(env, "outage-" + delivery);
            Set<JobStatus> statuses = new TreeSet<>();
            JobStatus finalStatus;
            List<ConsumerRecord<byte[], byte[]>> recs;
            ReplaySummary sent;
            long outageMs;
            try {
                // 3,000 events at 150/s: ~20 s of replay
                CompletableFuture<ReplaySummary> replay = CompletableFuture.supplyAsync(() -> {
                    Properties p =
                            ProducerSettings.build(kafka.bootstrapServers(), new Properties(), new ArrayList<>());
                    try (ReplayProducer producer = ReplayProducer.create(
                            p,
                            ReplayOptions.defaults().withMaxRate(150).withProgressIntervalMillis(0),
                            new PrintStream(OutputStream.nullOutputStream()))) {
                        return producer.replay(events, 0);
                    }
                });
                // The broker goes away once the job has answered a tenth of the stream (waited on, not slept).
                try (TopicReader early = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                    assertThat(early.readUntil(
                                    r -> r.size() >= events.size() / 10, Duration.ofSeconds(60), Duration.ofMinutes(2)))
                            .hasSizeGreaterThanOrEqualTo(events.size() / 10);
                }
                statuses.add(job.getJobStatus().get());
                long t0 = System.nanoTime();
                broker.stop();
                Thread.sleep(OUTAGE_MS); // the outage's length: the fault itself, not a wait for a condition
                statuses.add(job.getJobStatus().get());
                broker.restart();
                outageMs = (System.nanoTime() - t0) / 1_000_000;
                sent = replay.get();
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                    reader.readUntil(r -> distinct(r) >= events.size(), Duration.ofSeconds(90), Duration.ofMinutes(4));
                    recs = reader.drain(Duration.ofSeconds(3));
                }
                finalStatus = job.getJobStatus().get();
                statuses.add(finalStatus);
            } finally {
                job.cancel().get();
            }
            // The job rode the outage out: running (or restarting) whenever sampled, running at the end.
            assertThat(statuses).as("job statuses").isSubsetOf(JobStatus.RUNNING, JobStatus.RESTARTING);
            assertThat(finalStatus).isEqualTo(JobStatus.RUNNING);

            assertThat(sent.failed())
                    .as("producer failures: " + sent.firstError())
                    .isZero();
            assertThat(sent.acknowledged()).isEqualTo(events.size());
            Map<String, Integer> perRequest = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : recs) perRequest.merge(requestId(r), 1, Integer::sum);
            Set<String> expected = new java.util.HashSet<>();
            for (int i = 0; i < events.size(); i++) expected.add(events.get(i).requestId());
            assertThat(perRequest.keySet()).as("every event answered").isEqualTo(expected);
            int duplicates = recs.size() - perRequest.size();
            if (delivery.equals("exactly-once")) assertThat(duplicates).isZero();
            System.out.printf(
                    "[broker-outage] delivery=%s events=%d acked=%d producerFailed=%d outageMs=%d recs=%d distinct=%d duplicates=%d jobStatuses=%s%n",
                    delivery,
                    events.size(),
                    sent.acknowledged(),
                    sent.failed(),
                    outageMs,
                    recs.size(),
                    perRequest.size(),
                    duplicates,
                    statuses);
        }
    }

    private static long distinct(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(BrokerOutageTest::requestId).distinct().count();
    }

    private static String requestId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Json.read(r.value(), Recommendation.class).requestId;
        } catch (java.io.IOException e) {
            throw new AssertionError("unreadable recommendation", e);
        }
    }
}
