package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.ingest.RatingRecord;
import io.streamrec.ingest.RatingRecordDeserializer;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.schema.Transition;
import io.streamrec.testutil.TopicReader;
import io.streamrec.weights.WeightsMessageSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once and stop/resume on real parts: an embedded Kafka broker and the job on a MiniCluster with two
 * TaskManagers (RocksDB, checkpoints every 300 ms, fixed-delay restarts). The first test replays a stream while three
 * failures hit it (a task throws, a TaskManager is lost, the job is cancelled and resubmitted from its latest retained
 * checkpoint) and then reads every output topic with read_committed; the second stops the job with a savepoint and
 * resumes it from there at another parallelism.
 */
class RecoveryTest {
    private static final List<String> POLICIES = List.of("popularity", "genreq", "drr");
    private static final int MALFORMED = 10;
    private static final int EVAL_WINDOW = 250;

    /** Records read by the failure-injecting deserializer in this JVM (all subtasks, all attempts). */
    private static final AtomicLong DESERIALIZED = new AtomicLong();

    private static final AtomicBoolean INJECTED = new AtomicBoolean();
    private static volatile long failAtRecord = Long.MAX_VALUE;

    @Test
    void everyRequestGetsExactlyOneSlatePerPolicyThroughThreeFailures(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        var data = SyntheticGenerator.generate(SyntheticConfig.of(120, 300, 3_000, 23));
        EventLog log = data.events().sortByTime();
        // Session closers: ratings of eight new users two hours after the log's last one (a partition that gets none
        // is idle after source.idleness.ms and no longer holds the watermark back). The watermark passes every session
        // gap of the log, so every request of the log must get its transition, exactly once.
        EventLog events = withSessionClosers(log, data.movies().get(0).itemId);
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        int n = events.size();
        // The last `tail` events are replayed only after the final resubmission: a restored job has no watermark until
        // new records arrive (watermarks are not checkpointed), and the reward joiner emits in event-time order, so
        // without fresh input the transitions it buffered before the cancel would wait (in state, not lost) forever.
        int tail = 60 + SESSION_CLOSERS;
        int third = (n - tail) / 3;
        DESERIALIZED.set(0);
        INJECTED.set(false);
        failAtRecord = third / 2;

        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                MiniCluster cluster = startCluster()) {
            createTopics(kafka);
            StreamrecConfig config = jobConfig(kafka, tmp, 2, true);
            Path checkpoints = tmp.resolve("cp");
            int restarts = 0;
            try (TopicReader recReader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                // (i) a task throws inside the source once, at record third/2 of the first third: automatic restart
                replay(kafka, events, 0, third);
                JobID job = submit(cluster, config, catalog, null);
                awaitCommitted(recReader, third);
                assertThat(INJECTED).as("the injected task failure happened").isTrue();

                // (ii) a TaskManager is lost mid-stream; a replacement joins and the job restarts on it. Malformed
                // records ride along so the dead-letter sink is crossed by the failures too.
                sendMalformed(kafka, MALFORMED);
                replay(kafka, events, third, third);
                awaitCommitted(recReader, third + third / 5);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                awaitCommitted(recReader, 2 * third);
                restarts += attemptsOf(cluster, job);

                // (iii) the job is cancelled mid-stream and submitted again from its latest retained checkpoint
                replay(kafka, events, 2 * third, n - tail - 2 * third);
                awaitCommitted(recReader, 2 * third + third / 5);
                cluster.cancelJob(job).get();
                cluster.requestJobResult(job).get();
                Path latest = latestCheckpoint(checkpoints.resolve(job.toHexString()));
                JobID resumed = submit(cluster, config, catalog, latest.toUri().toString());
                restarts++;
                replay(kafka, events, n - tail, tail);

                List<ConsumerRecord<byte[], byte[]>> recs = awaitCommitted(recReader, n);
                recs = recReader.drain(Duration.ofSeconds(3)); // anything beyond n would be a duplicate
                List<ConsumerRecord<byte[], byte[]>> slates =
                        readAll(kafka, "policy-slates", r -> r.size() >= n * POLICIES.size());
                List<ConsumerRecord<byte[], byte[]>> weights = readAll(kafka, "actor-weights", r -> r.size() >= 3);
                List<ConsumerRecord<byte[], byte[]>> transitions =
                        readAll(kafka, "transitions", r -> r.size() >= log.size());
                List<ConsumerRecord<byte[], byte[]>> metrics = readAll(kafka, "metrics", r -> maxEventsSeen(r) >= n);
                List<ConsumerRecord<byte[], byte[]>> deadLetters =
                        readAll(kafka, "ratings-dlq", r -> r.size() >= MALFORMED);
                cluster.cancelJob(resumed).get();

                Set<String> requestIds = new HashSet<>();
                for (int i = 0; i < n; i++) requestIds.add(events.get(i).requestId());
                assertThat(requestIds).hasSize(n);

                // recommendations (DRR serving): every request exactly once
                Map<String, Integer> drr = countByRequest(recs, "recommendations", null);
                long recDuplicates = drr.values().stream().filter(c -> c > 1).count();
                long recMissing =
                        requestIds.stream().filter(id -> !drr.containsKey(id)).count();
                assertThat(drr.keySet()).isEqualTo(requestIds);
                assertThat(recDuplicates).isZero();

                // policy-slates: every request exactly once per policy, nothing else
                long slateDuplicates = 0;
                long slateMissing = 0;
                for (String policy : POLICIES) {
                    Map<String, Integer> byRequest = countByRequest(slates, "policy-slates", policy);
                    slateDuplicates +=
                            byRequest.values().stream().filter(c -> c > 1).count();
                    slateMissing += requestIds.stream()
                            .filter(id -> !byRequest.containsKey(id))
                            .count();
                    assertThat(byRequest.keySet()).as(policy).isEqualTo(requestIds);
                    assertThat(byRequest.values()).as(policy).allMatch(c -> c == 1);
                }
                assertThat(slates).hasSize(n * POLICIES.size());

                // transitions: every request of the log exactly once (the closers' sessions stay open)
                Set<String> transitionIds = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> r : transitions) {
                    Transition t = Json.read(r.value(), Transition.class);
                    assertThat(transitionIds.add(t.requestId))
                            .as("duplicate transition " + t.requestId)
                            .isTrue();
                    assertThat(requestIds).contains(t.requestId);
                }
                Set<String> logIds = new HashSet<>();
                for (int i = 0; i < log.size(); i++) logIds.add(log.get(i).requestId());
                assertThat(transitionIds)
                        .as("transitions of the log's requests")
                        .containsAll(logIds);
                transitionIds.removeAll(logIds);
                assertThat(transitionIds).as("transitions of the closers").isEmpty();

                // actor-weights: versions and learner steps strictly increase in topic order (restored, never reset)
                long lastVersion = 0;
                long lastStep = 0;
                for (ConsumerRecord<byte[], byte[]> r : weights) {
                    assertThat(TopicSchemas.violations("actor-weights", r.value()))
                            .isEmpty();
                    long version = WeightsFlowTest.versionOf(r.value());
                    long step = trainStepOf(r);
                    assertThat(version).as("version after v%d", lastVersion).isGreaterThan(lastVersion);
                    assertThat(step).as("learner step after %d", lastStep).isGreaterThan(lastStep);
                    lastVersion = version;
                    lastStep = step;
                }
                assertThat(weights).hasSizeGreaterThanOrEqualTo(3);

                // ratings-dlq: each malformed input record once
                Set<String> deadLetterSources = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
                    assertThat(TopicSchemas.violations("ratings-dlq", r.value()))
                            .isEmpty();
                    DeadLetter d = Json.read(r.value(), DeadLetter.class);
                    assertThat(deadLetterSources.add(d.partition + "@" + d.offset))
                            .as("dead letter twice: " + d.offset)
                            .isTrue();
                }
                assertThat(deadLetters).hasSize(MALFORMED);

                // metrics: each event-count window of each policy once, the last one at the end of the stream
                Map<String, Integer> windows = new HashMap<>();
                long maxSeen = 0;
                for (ConsumerRecord<byte[], byte[]> r : metrics) {
                    PolicyMetrics m = Json.read(r.value(), PolicyMetrics.class);
                    if (!m.scope.equals(PolicyMetrics.SCOPE_EVENTS)) continue;
                    windows.merge(m.policy + "@" + m.eventsSeen, 1, Integer::sum);
                    maxSeen = Math.max(maxSeen, m.eventsSeen);
                }
                assertThat(windows.values())
                        .as("windowed metric records by policy@eventsSeen")
                        .allMatch(c -> c == 1);
                assertThat(maxSeen).as("the last full window").isEqualTo(n - n % EVAL_WINDOW);

                System.out.printf(
                        "[eos-test] events=%d recs=%d slates=%d policies=%d dup=%d missing=%d transitions=%d deadLetters=%d "
                                + "weights=%d lastVersion=%d lastStep=%d metricWindows=%d restarts=%d injectedAt=%d wall=%.1fs%n",
                        n,
                        recs.size(),
                        slates.size(),
                        POLICIES.size(),
                        recDuplicates + slateDuplicates,
                        recMissing + slateMissing,
                        transitions.size(),
                        deadLetters.size(),
                        weights.size(),
                        lastVersion,
                        lastStep,
                        windows.size(),
                        restarts,
                        failAtRecord,
                        (System.nanoTime() - started) / 1e9);
                assertThat(restarts)
                        .as("restarts: the task failure, the lost TaskManager, the resubmission")
                        .isGreaterThanOrEqualTo(3);
            }
        }
    }

    /**
     * Exactly-once output stays invisible until the checkpoint that covers it commits, and output of a failed attempt
     * never becomes visible: with no periodic checkpoint during the test, the job writes a slate for every rating
     * inside open transactions (a read_uncommitted reader sees them, a read_committed one nothing); a TaskManager is
     * lost before any checkpoint, the job restarts from the beginning and writes every slate again; then one
     * checkpoint is triggered and read_committed sees every slate exactly once.
     */
    @Test
    void exactlyOnceOutputIsInvisibleUntilItsCheckpointCommits(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(60, 200, 1_000, 13));
        EventLog events = data.events().sortByTime();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        int n = events.size();
        failAtRecord = Long.MAX_VALUE;
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                MiniCluster cluster = startCluster()) {
            createTopics(kafka);
            StreamrecConfig config = jobConfig(kafka, tmp, 2, false)
                    .with(ConfigKey.CHECKPOINT_INTERVAL_MS, 3_600_000L)
                    .with(ConfigKey.TRANSACTION_TIMEOUT_MS, 600_000L);
            replay(kafka, events, 0, n);
            try (TopicReader uncommitted = new TopicReader(kafka.bootstrapServers(), "recommendations", false);
                    TopicReader committed = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                JobID job = submit(cluster, config, catalog, null);
                assertThat(uncommitted.readUntil(r -> r.size() >= n, Duration.ofSeconds(60), Duration.ofMinutes(3)))
                        .as("written, in open transactions")
                        .hasSize(n);
                assertThat(committed.drain(Duration.ofSeconds(2)))
                        .as("visible before any commit")
                        .isEmpty();

                int attemptsBefore = attemptsOf(cluster, job);
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                assertThat(uncommitted.readUntil(r -> r.size() >= 2 * n, Duration.ofSeconds(60), Duration.ofMinutes(3)))
                        .as("the restarted attempt wrote every slate again")
                        .hasSizeGreaterThanOrEqualTo(2 * n);
                assertThat(attemptsOf(cluster, job)).isGreaterThan(attemptsBefore);
                assertThat(committed.drain(Duration.ofSeconds(1))).isEmpty();

                cluster.triggerCheckpoint(job).get();
                List<ConsumerRecord<byte[], byte[]>> visible =
                        committed.readUntil(r -> r.size() >= n, Duration.ofSeconds(30), Duration.ofMinutes(2));
                visible = committed.drain(Duration.ofSeconds(3)); // anything beyond n would be a duplicate
                cluster.cancelJob(job).get();
                Map<String, Integer> byRequest = countByRequest(visible, "recommendations", null);
                Set<String> requestIds = new HashSet<>();
                for (int i = 0; i < n; i++) requestIds.add(events.get(i).requestId());
                assertThat(byRequest.keySet()).isEqualTo(requestIds);
                assertThat(byRequest.values()).allMatch(c -> c == 1);
            }
        }
    }

    @Test
    void stopWithSavepointAndResumeAtAnotherParallelismCarriesEveryStateOver(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        var data = SyntheticGenerator.generate(SyntheticConfig.of(80, 200, 2_000, 31));
        EventLog events = data.events().sortByTime();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        int n = events.size();
        int half = n / 2;
        failAtRecord = Long.MAX_VALUE;

        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                MiniCluster cluster = startCluster()) {
            createTopics(kafka);
            StreamrecConfig before = jobConfig(kafka, tmp, 2, false);
            StreamrecConfig after = before.with(ConfigKey.PARALLELISM, 1);
            assertEveryOperatorHasAUid(before, catalog);
            try (TopicReader recReader = new TopicReader(kafka.bootstrapServers(), "recommendations");
                    TopicReader weightsReader = new TopicReader(kafka.bootstrapServers(), "actor-weights");
                    TopicReader metricsReader = new TopicReader(kafka.bootstrapServers(), "metrics")) {
                replay(kafka, events, 0, half);
                JobID first = submit(cluster, before, catalog, null);
                awaitCommitted(recReader, half);
                weightsReader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(60), Duration.ofMinutes(2));
                metricsReader.readUntil(r -> maxEventsSeen(r) >= half, Duration.ofSeconds(60), Duration.ofMinutes(2));
                String savepoint = cluster.stopWithSavepoint(
                                first,
                                tmp.resolve("savepoints").toUri().toString(),
                                false,
                                SavepointFormatType.CANONICAL)
                        .get();
                cluster.requestJobResult(first).get();
                List<ConsumerRecord<byte[], byte[]>> weightsBefore = weightsReader.drain(Duration.ofSeconds(1));
                ConsumerRecord<byte[], byte[]> lastBefore = weightsBefore.get(weightsBefore.size() - 1);
                long metricsBefore = metricsReader.drain(Duration.ofSeconds(1)).size();
                assertThat(maxEventsSeen(metricsReader.drain(Duration.ZERO))).isEqualTo(half);

                JobID second = submit(cluster, after, catalog, savepoint);
                replay(kafka, events, half, n - half);
                List<ConsumerRecord<byte[], byte[]>> recs = awaitCommitted(recReader, n);
                recs = recReader.drain(Duration.ofSeconds(2));
                List<ConsumerRecord<byte[], byte[]>> weights = weightsReader.readUntil(
                        r -> r.size() > weightsBefore.size(), Duration.ofSeconds(60), Duration.ofMinutes(2));
                List<ConsumerRecord<byte[], byte[]>> metrics = metricsReader.readUntil(
                        r -> maxEventsSeen(r) >= n, Duration.ofSeconds(60), Duration.ofMinutes(2));
                cluster.cancelJob(second).get();

                // every request answered exactly once across the stop
                Map<String, Integer> byRequest = countByRequest(recs, "recommendations", null);
                assertThat(byRequest).hasSize(n);
                assertThat(byRequest.values()).allMatch(c -> c == 1);

                // keyed state: after the resume, no slate offers an item its user rated before (also before the stop)
                Map<String, Set<Integer>> ratedUpTo = new HashMap<>();
                Map<Integer, Set<Integer>> ratedBeforeStop = new HashMap<>();
                Map<Integer, Set<Integer>> rated = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    RatingEvent e = events.get(i);
                    rated.computeIfAbsent(e.userId, u -> new HashSet<>()).add(e.itemId);
                    ratedUpTo.put(e.requestId(), Set.copyOf(rated.get(e.userId)));
                    if (i == half - 1) rated.forEach((u, s) -> ratedBeforeStop.put(u, Set.copyOf(s)));
                }
                long resumedSlatesOfKnownUsers = 0;
                for (ConsumerRecord<byte[], byte[]> r : recs.subList(half, recs.size())) {
                    Recommendation rec = Json.read(r.value(), Recommendation.class);
                    List<Integer> items = rec.items.stream().map(i -> i.itemId).toList();
                    assertThat(items).as(rec.requestId).doesNotContainAnyElementsOf(ratedUpTo.get(rec.requestId));
                    if (ratedBeforeStop.containsKey(rec.userId)) resumedSlatesOfKnownUsers++;
                }
                assertThat(resumedSlatesOfKnownUsers)
                        .as("slates after the resume for users with state from before")
                        .isPositive();

                // learner: the first publication after the resume continues both the version and the step counter
                ConsumerRecord<byte[], byte[]> firstAfter = weights.get(weightsBefore.size());
                assertThat(WeightsFlowTest.versionOf(firstAfter.value()))
                        .isGreaterThan(WeightsFlowTest.versionOf(lastBefore.value()));
                assertThat(trainStepOf(firstAfter)).isGreaterThan(trainStepOf(lastBefore));

                // evaluator: its cumulative event count continues from the savepoint (a fresh one would stop at n -
                // half)
                long maxAfter = maxEventsSeen(metrics.subList((int) metricsBefore, metrics.size()));
                assertThat(maxAfter).isEqualTo(n);
                System.out.printf(
                        "[savepoint-test] events=%d recs=%d parallelism 2->1, weights v%d/step %d -> v%d/step %d, "
                                + "evaluator eventsSeen %d -> %d, resumed slates of known users %d, wall=%.1fs%n",
                        n,
                        recs.size(),
                        WeightsFlowTest.versionOf(lastBefore.value()),
                        trainStepOf(lastBefore),
                        WeightsFlowTest.versionOf(firstAfter.value()),
                        trainStepOf(firstAfter),
                        half,
                        maxAfter,
                        resumedSlatesOfKnownUsers,
                        (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** Operator ids must not depend on the graph's shape, or a savepoint stops fitting the job that wrote it. */
    private static void assertEveryOperatorHasAUid(StreamrecConfig config, ItemCatalog catalog) {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
        StreamrecJob.fromKafka(config, catalog).build(env);
        StreamGraph graph = env.getStreamGraph();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID())
                    .as("uid of " + node.getOperatorName())
                    .isNotBlank();
        }
        assertThat(graph.getStreamNodes())
                .allMatch(node -> node.getMaxParallelism() == 128 || node.getMaxParallelism() == 1);
    }

    private static MiniCluster startCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .build());
        cluster.start();
        return cluster;
    }

    private static void createTopics(KafkaTestBroker kafka) {
        kafka.createTopics(2, "ratings", "recommendations", "policy-slates", "transitions");
        kafka.createTopics(1, "ratings-dlq", "metrics");
        kafka.createTopic("actor-weights", 1, Map.of("cleanup.policy", "compact", "max.message.bytes", "67108864"));
    }

    private static StreamrecConfig jobConfig(KafkaTestBroker kafka, Path tmp, int parallelism, boolean publishSlates) {
        return StreamrecConfig.fromArgs(
                "--bootstrap.servers",
                kafka.bootstrapServers(),
                "--parallelism",
                Integer.toString(parallelism),
                "--delivery.guarantee",
                "exactly-once",
                "--transactional.id.prefix",
                "recovery-" + System.nanoTime(),
                "--transaction.timeout.ms",
                "60000",
                "--checkpoint.interval.ms",
                "300",
                "--checkpoint.dir",
                tmp.resolve("cp").toUri().toString(),
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
                "20",
                "--publish.interval.ms",
                "300",
                "--publish.full.every",
                "3",
                "--policies",
                String.join(",", POLICIES),
                "--eval.window.events",
                Integer.toString(EVAL_WINDOW),
                "--eval.publish.slates",
                Boolean.toString(publishSlates),
                "--eval.sample",
                "1");
    }

    /** Builds the job (source deserializer wrapped by the failure injector) and submits it, from a checkpoint if given. */
    private static JobID submit(MiniCluster cluster, StreamrecConfig config, ItemCatalog catalog, String restoreFrom)
            throws Exception {
        Configuration conf = StreamrecJob.flinkConfiguration(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        StreamrecJob.fromKafka(config, catalog, StreamrecJob.kafkaSource(config, new FailOnceDeserializer()))
                .build(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("recovery-test");
        if (restoreFrom != null)
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        JobID id = cluster.submitJob(graph).get().getJobID();
        JobStatus status;
        while ((status = cluster.getJobStatus(id).get()) != JobStatus.RUNNING) {
            if (status.isGloballyTerminalState()) {
                throw new AssertionError(
                        "job " + status + (restoreFrom == null ? "" : " restoring " + restoreFrom),
                        cluster.requestJobResult(id)
                                .get()
                                .getSerializedThrowable()
                                .map(t -> t.deserializeError(RecoveryTest.class.getClassLoader()))
                                .orElse(null));
            }
            Thread.sleep(50);
        }
        return id;
    }

    /** Restarts of the job so far: the highest attempt number of any of its tasks. */
    private static int attemptsOf(MiniCluster cluster, JobID job) throws Exception {
        int attempts = 0;
        for (AccessExecutionVertex v : cluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
            attempts = Math.max(attempts, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return attempts;
    }

    /** The newest completed checkpoint (one with its metadata file) under a job's checkpoint folder. */
    private static Path latestCheckpoint(Path jobFolder) throws IOException {
        try (Stream<Path> dirs = Files.list(jobFolder)) {
            return dirs.filter(
                            d -> d.getFileName().toString().startsWith("chk-") && Files.exists(d.resolve("_metadata")))
                    .max((a, b) -> Long.compare(checkpointNumber(a), checkpointNumber(b)))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint under " + jobFolder));
        }
    }

    private static long checkpointNumber(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("chk-".length()));
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitCommitted(TopicReader reader, long count) {
        return reader.readUntil(r -> r.size() >= count, Duration.ofSeconds(90), Duration.ofMinutes(3));
    }

    /** Every committed record of a topic: until {@code done} (or 30 s without news), then 2 s more for stragglers. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            KafkaTestBroker kafka, String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.readUntil(done, Duration.ofSeconds(30), Duration.ofMinutes(2));
            return reader.drain(Duration.ofSeconds(2));
        }
    }

    /** Slates per requestId (of one policy, or of any when null); every record schema-checked and keyed by its user. */
    private static Map<String, Integer> countByRequest(
            List<ConsumerRecord<byte[], byte[]>> records, String topic, String policy) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Recommendation rec = Json.read(r.value(), Recommendation.class);
            if (policy != null && !policy.equals(rec.policy)) continue;
            assertThat(TopicSchemas.violations(topic, r.value())).as("schema").isEmpty();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(rec.userId));
            counts.merge(rec.requestId, 1, Integer::sum);
        }
        return counts;
    }

    private static long maxEventsSeen(List<ConsumerRecord<byte[], byte[]>> metrics) {
        long max = 0;
        for (ConsumerRecord<byte[], byte[]> r : metrics) {
            try {
                max = Math.max(max, Json.read(r.value(), PolicyMetrics.class).eventsSeen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return max;
    }

    private static long trainStepOf(ConsumerRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(WeightsMessageSerializer.TRAIN_STEP_HEADER);
        assertThat(h).as("learner step header").isNotNull();
        return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static void sendMalformed(KafkaTestBroker kafka, int count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("ratings", ("not a rating #" + i).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    private static final int SESSION_CLOSERS = 8;

    /** {@code log} and then {@link #SESSION_CLOSERS} ratings by new users two hours (four session gaps) later. */
    private static EventLog withSessionClosers(EventLog log, int itemId) {
        EventLog out = new EventLog(log.size() + SESSION_CLOSERS);
        for (int i = 0; i < log.size(); i++) out.add(log.get(i));
        long at = log.timestamp(log.size() - 1) + 2 * 3600_000L;
        for (int u = 0; u < SESSION_CLOSERS; u++) out.add(900_000 + u, itemId, 4f, at + u);
        return out;
    }

    private static void replay(KafkaTestBroker kafka, EventLog events, long skip, long limit) throws Exception {
        try (ReplayProducer producer = ReplayProducer.create(
                ProducerSettings.build(kafka.bootstrapServers(), new Properties(), new ArrayList<>()),
                ReplayOptions.defaults().withSkip(skip).withLimit(limit).withProgressIntervalMillis(0),
                new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(producer.replay(events, 0).acknowledged()).isEqualTo(limit);
        }
    }

    /** Test-only: the job's own deserializer, except that record number {@link #failAtRecord} throws, once per JVM. */
    static final class FailOnceDeserializer implements KafkaRecordDeserializationSchema<RatingRecord> {
        private static final long serialVersionUID = 1L;
        private final RatingRecordDeserializer inner = new RatingRecordDeserializer(1 << 20);

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RatingRecord> out) throws IOException {
            if (DESERIALIZED.incrementAndGet() >= failAtRecord && INJECTED.compareAndSet(false, true)) {
                throw new IOException("injected task failure at record " + DESERIALIZED.get());
            }
            inner.deserialize(record, out);
        }

        @Override
        public TypeInformation<RatingRecord> getProducedType() {
            return inner.getProducedType();
        }
    }
}
