package io.streamrec.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.job.CollectingMetricReporter;
import io.streamrec.job.StreamrecJob;
import io.streamrec.kafka.EmbeddedKafkaBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * {@code ./bench recovery}: the full job on a MiniCluster of two TaskManagers (one slot each, parallelism 2) fed at a
 * steady rate; after a warm-up that fills the learner's replay buffer, TaskManager 0 is terminated and a replacement
 * started (as a container orchestrator would). Measured from the kill: the first recommendation written after the
 * restart and visible (committed, for exactly-once), the
 * first recommendation for a rating sent after the kill (caught up), the learner's first training step after its
 * restore, the first newly published weights version; and per operator, when its subtasks were deploying,
 * initialising (state restore, open) and running again. Every rating's recommendations are counted: lost and
 * duplicated. Once per delivery guarantee.
 */
public final class RecoveryBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String USAGE = """
            usage: ./bench recovery [options] [job options]
              --rate N           steady rate, events/s (default 2000)
              --warmup-s N       seconds before the kill (default 75: the default replay buffer fills)
              --after-s N        seconds of stream after the kill (default 60)
              --delivery LIST    at-least-once,exactly-once (default both)
              --out FILE         JSON result (default target/bench/recovery.json)
            job options: any key of docs/configuration.md
            """;

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, Set.of("help"), Set.of("rate", "warmup-s", "after-s", "delivery", "out"), true);
        if (parsed.has("help")) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(parsed.options(), parsed.rest()));
    }

    static int run(Map<String, String> opts, List<String> jobArgs) throws Exception {
        int rate = Integer.parseInt(opts.getOrDefault("rate", "2000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup-s", "75"));
        int after = Integer.parseInt(opts.getOrDefault("after-s", "60"));
        List<String> deliveries = Arrays.asList(
                opts.getOrDefault("delivery", "at-least-once,exactly-once").split(","));
        int events = rate * (warmup + after) + rate;
        SyntheticGenerator.SyntheticData data = SyntheticGenerator.generate(SyntheticConfig.of(6040, 3706, events, 42));
        EventLog log = data.events().sortByTime();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        Path work = Files.createTempDirectory("streamrec-recovery");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rateEventsPerSecond", rate);
        result.put("warmupSeconds", warmup);
        result.put("afterSeconds", after);
        Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("kafka"))) {
            BenchRuns configs = new BenchRuns(broker, work, jobArgs);
            for (String delivery : deliveries) {
                StreamrecConfig c = configs.next("recovery", delivery.trim());
                runs.put(delivery.trim(), once(broker, c, catalog, log, rate, warmup, after));
            }
        }
        result.put("runs", runs);
        result.put("targets", targets(runs));
        Path out = Path.of(opts.getOrDefault("out", "target/bench/recovery.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), result);
        System.out.println("recovery: targets " + result.get("targets"));
        System.out.println("recovery: wrote " + out.toAbsolutePath());
        return 0;
    }

    private static Map<String, Object> once(
            EmbeddedKafkaBroker broker,
            StreamrecConfig c,
            ItemCatalog catalog,
            EventLog log,
            int rate,
            int warmup,
            int after)
            throws Exception {
        String delivery = c.get(ConfigKey.DELIVERY);
        System.out.printf(
                Locale.ROOT,
                "recovery: %s, %,d events/s, checkpoints every %s ms, kill after %d s%n",
                delivery,
                rate,
                c.get(ConfigKey.CHECKPOINT_INTERVAL_MS),
                warmup);
        Map<String, Object> r = new LinkedHashMap<>();
        try (MiniCluster cluster = startCluster(c)) {
            JobID job = submit(cluster, c, catalog);
            RecoveryWatch watch = new RecoveryWatch(broker.bootstrapServers(), c);
            Thread reader = new Thread(watch, "recovery-reader");
            reader.start();
            SteadyProducer producer =
                    new SteadyProducer(broker.bootstrapServers(), c.get(ConfigKey.TOPIC_RATINGS), log, rate, watch);
            Thread sending = new Thread(producer, "recovery-producer");
            sending.start();

            Thread.sleep(warmup * 1000L);
            long bufferAtKill = CollectingMetricReporter.sum("bufferSize");
            long stepsAtKill = CollectingMetricReporter.sum("trainSteps");
            long killAt = System.currentTimeMillis();
            watch.killedAt(killAt);
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            System.out.printf(
                    Locale.ROOT,
                    "recovery: TaskManager 0 terminated (learner at step %,d, %,d transitions buffered)%n",
                    stepsAtKill,
                    bufferAtKill);
            long learnerStep = LearnerRestore.awaitFirstStep(killAt, after * 1000L);
            long end = killAt + after * 1000L;
            while (System.currentTimeMillis() < end) Thread.sleep(200);
            producer.stop();
            sending.join();
            watch.awaitAnswers(producer.sent(), 180_000);
            watch.stop();
            reader.join(30_000);

            r.put("delivery", delivery);
            r.put("learnerBufferAtKill", bufferAtKill);
            r.put("learnerStepsAtKill", stepsAtKill);
            Long restarted = TaskTimeline.jobRunning(cluster, job, killAt);
            r.put("jobRunningAgainMs", restarted);
            long restartedAt = restarted == null ? killAt : killAt + restarted;
            r.put(
                    "killToFirstRecommendationMs",
                    TaskTimeline.relative(watch.firstRecommendationAppendedAfter(restartedAt), killAt));
            r.put("killToCaughtUpMs", TaskTimeline.relative(watch.caughtUpAfter(restartedAt), killAt));
            r.put("killToFirstLearnerStepMs", TaskTimeline.relative(learnerStep, killAt));
            r.put("killToFirstNewWeightsMs", TaskTimeline.relative(watch.firstWeightsAfterKill(), killAt));
            r.put("sent", producer.sent());
            r.put("answered", watch.answeredRequests());
            r.put("lost", producer.sent() - watch.answeredRequests());
            r.put("duplicated", watch.duplicates());
            r.put("operators", TaskTimeline.of(cluster, job, killAt));
            cluster.cancelJob(job).get();
        }
        System.out.printf(
                Locale.ROOT,
                "recovery: %s: job running again %s ms; kill → first recommendation %s ms, caught up %s ms, first learner step %s ms, first new"
                        + " weights %s ms; sent %,d, lost %s, duplicated %s%n",
                delivery,
                r.get("jobRunningAgainMs"),
                r.get("killToFirstRecommendationMs"),
                r.get("killToCaughtUpMs"),
                r.get("killToFirstLearnerStepMs"),
                r.get("killToFirstNewWeightsMs"),
                (long) r.get("sent"),
                r.get("lost"),
                r.get("duplicated"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> ops = (Map<String, Map<String, Object>>) r.get("operators");
        ops.forEach((name, t) -> System.out.printf(
                Locale.ROOT,
                "recovery:   %-60.60s deploying %6s  initialising %6s  running %6s ms after the kill%n",
                name,
                t.get("deployingMs"),
                t.get("initializingMs"),
                t.get("runningMs")));
        return r;
    }

    /** Two TaskManagers with one slot each: every operator's subtask 0 on one, subtask 1 on the other. */
    private static MiniCluster startCluster(StreamrecConfig c) throws Exception {
        Configuration conf = StreamrecJob.flinkConfiguration(c);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        CollectingMetricReporter.enable(conf);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .build());
        cluster.start();
        return cluster;
    }

    private static JobID submit(MiniCluster cluster, StreamrecConfig c, ItemCatalog catalog) throws Exception {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(StreamrecJob.flinkConfiguration(c));
        StreamrecJob.fromKafka(c, catalog).build(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("streamrec-recovery");
        JobID id = cluster.submitJob(graph).get().getJobID();
        long deadline = System.currentTimeMillis() + 120_000;
        while (cluster.getJobStatus(id).get() != JobStatus.RUNNING) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("job not running after 120 s");
            Thread.sleep(100);
        }
        return id;
    }

    /** Each target of the issue as a boolean (null when the run did not measure it). */
    static Map<String, Object> targets(Map<String, Map<String, Object>> runs) {
        Map<String, Object> t = new LinkedHashMap<>();
        Map<String, Object> alo = runs.get("at-least-once");
        Map<String, Object> eo = runs.get("exactly-once");
        t.put("firstRecommendationAtLeastOnceWithin15s", within(alo, "killToFirstRecommendationMs", 15_000));
        t.put("firstRecommendationExactlyOnceWithin30s", within(eo, "killToFirstRecommendationMs", 30_000));
        boolean learner = true;
        boolean none = true;
        for (Map<String, Object> r : runs.values()) {
            Boolean w = within(r, "killToFirstLearnerStepMs", 30_000);
            learner &= Boolean.TRUE.equals(w);
            none &= ((Number) r.get("lost")).longValue() == 0;
        }
        t.put("firstLearnerStepWithin30s", runs.isEmpty() ? null : learner);
        t.put("noneLost", runs.isEmpty() ? null : none);
        t.put("noneDuplicatedExactlyOnce", eo == null ? null : ((Number) eo.get("duplicated")).longValue() == 0);
        return t;
    }

    private static Boolean within(Map<String, Object> run, String key, long limitMs) {
        if (run == null) return null;
        Object v = run.get(key);
        return v instanceof Number n && n.longValue() >= 0 && n.longValue() <= limitMs;
    }
}
