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
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The pipeline benchmark (issue 6), all in one JVM: an embedded Kafka broker, Flink MiniClusters and the producer.
 *
 * <ul>
 *   <li>throughput: the events are pre-loaded into a fresh ratings topic, then the job starts; events/s is measured
 *       from the first to the last output record (broker LogAppendTime of the output topic), for (a) a bare
 *       Kafka → keyBy(userId) → Kafka pass-through and (b) the full {@link StreamrecJob} as users run it (serving,
 *       reward joiner, learner, every default policy and the evaluator), each run on fresh topics;</li>
 *   <li>learning loop ({@link LearnerObservation}): learner steps/s and weights staleness per published version,
 *       from outside the job (the learner's counters and the Kafka topics);</li>
 *   <li>latency: with the full job already running, events are produced at a steady rate (default 2,000/s); the
 *       latency of each is from the broker append of the rating (LogAppendTime) to the moment a read_committed
 *       consumer sees its recommendation, at-least-once and exactly-once (where it includes the checkpoint
 *       interval, as transactions commit on checkpoints).</li>
 * </ul>
 * Prints a summary and writes JSON ({@code --out}).
 */
public final class PipelineBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> opts;
    private final List<String> jobArgs;
    private final Path work;
    private EmbeddedKafkaBroker broker;
    private BenchRuns runs;

    private PipelineBench(Map<String, String> opts, List<String> jobArgs, Path work) {
        this.opts = opts;
        this.jobArgs = jobArgs;
        this.work = work;
    }

    static final String USAGE = """
            usage: ./bench pipeline [options] [job options]
              --events N            synthetic events (default 1000000; ML-1M shape: 6040 users, 3706 items, seed 42)
              --shape ml1m|ml25m    synthetic users and items shaped like ML-1M (default) or ML-25M (162541 users,
                                    62423 items); --users/--items override
              --users N --items N --seed N
              --ml100k PATH         MovieLens 100k folder, benchmarked too when present (default ../shared/data/ml-100k)
              --no-ml100k           skip it
              --rate N              steady rate of the latency runs, events/s (default 2000)
              --latency-s N         measured seconds of each latency run (default 20; plus 5 s warm-up)
              --skip PHASES         comma list of passthrough,pipeline,latency-alo,latency-eo
              --out FILE            JSON result (default target/bench/result.json)
              --quiet-timeout-s N   give up on a run after N s without output (default 90)
            job options: any key of docs/configuration.md (e.g. --checkpoint.interval.ms 2000)
            """;

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(
                args,
                Set.of("help", "no-ml100k"),
                Set.of(
                        "events",
                        "shape",
                        "users",
                        "items",
                        "seed",
                        "ml100k",
                        "rate",
                        "latency-s",
                        "skip",
                        "out",
                        "quiet-timeout-s"),
                true);
        if (parsed.has("help")) {
            System.out.print(USAGE);
            return;
        }
        Map<String, String> opts = parsed.options();
        List<String> jobArgs = parsed.rest();
        Path work = Files.createTempDirectory("streamrec-bench");
        int code = new PipelineBench(opts, jobArgs, work).run();
        System.exit(code);
    }

    private int run() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("started", java.time.Instant.now().toString());
        result.put(
                "host",
                Map.of(
                        "cpus",
                        Runtime.getRuntime().availableProcessors(),
                        "maxHeapMb",
                        Runtime.getRuntime().maxMemory() >> 20,
                        "java",
                        System.getProperty("java.version")));
        List<String> skip = Arrays.asList(opts.getOrDefault("skip", "").split(","));

        String shape = opts.getOrDefault("shape", "ml1m");
        // ML-25M: 162,541 users and 62,423 rated items (its README); the events are scaled down by --events.
        boolean ml25m =
                switch (shape) {
                    case "ml1m" -> false;
                    case "ml25m" -> true;
                    default -> throw new IllegalArgumentException("--shape is ml1m or ml25m, not " + shape);
                };
        SyntheticConfig sc = SyntheticConfig.of(
                Integer.parseInt(opts.getOrDefault("users", ml25m ? "162541" : "6040")),
                Integer.parseInt(opts.getOrDefault("items", ml25m ? "62423" : "3706")),
                Integer.parseInt(opts.getOrDefault("events", "1000000")),
                Long.parseLong(opts.getOrDefault("seed", "42")));
        long t0 = System.nanoTime();
        SyntheticGenerator.SyntheticData synthetic = SyntheticGenerator.generate(sc);
        System.out.printf(
                Locale.ROOT,
                "bench: synthetic %,d users × %,d items × %,d events (seed %d) in %.1f s%n",
                sc.users(),
                sc.items(),
                synthetic.events().size(),
                sc.seed(),
                (System.nanoTime() - t0) / 1e9);
        List<Dataset> datasets = new ArrayList<>();
        String mainName = "synthetic-" + shape + "-shape";
        result.put("mainDataset", mainName);
        datasets.add(new Dataset(mainName, synthetic.events(), ItemCatalog.of(synthetic.movies())));
        Path ml100k = Path.of(opts.getOrDefault("ml100k", "../shared/data/ml-100k"));
        if (!opts.containsKey("no-ml100k") && Files.exists(ml100k)) {
            EventLog events = RatingsReader.load(ml100k).events().sortByTime();
            int max = 0;
            for (int i = 0; i < events.size(); i++) max = Math.max(max, events.itemId(i));
            datasets.add(new Dataset("ml-100k", events, ItemCatalog.range(max)));
            System.out.printf(
                    Locale.ROOT, "bench: ml-100k %,d events from %s%n", events.size(), ml100k.toAbsolutePath());
        } else {
            System.out.println("bench: ml-100k not found at " + ml100k.toAbsolutePath() + " (or --no-ml100k): skipped");
        }

        try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start(0, work.resolve("kafka"))) {
            broker = b;
            runs = new BenchRuns(b, work, jobArgs);
            StreamrecConfig base = runs.config(Map.of());
            result.put("parallelism", base.getInt(ConfigKey.PARALLELISM));
            result.put("evalSample", base.getDouble(ConfigKey.EVAL_SAMPLE));
            result.put("checkpointIntervalMs", base.getLong(ConfigKey.CHECKPOINT_INTERVAL_MS));
            result.put("stateBackend", base.get(ConfigKey.STATE_BACKEND));
            result.put("actorBatchSize", base.getInt(ConfigKey.BATCH_SIZE));
            result.put("asyncCapacity", base.getInt(ConfigKey.ASYNC_CAPACITY));
            // What (b) runs: StreamrecJob.fromKafka with these settings, i.e. the job as users run it by default.
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("learnerEnabled", base.getBoolean(ConfigKey.LEARNER_ENABLED));
            job.put("learnerTrainBudget", base.getDouble(ConfigKey.LEARNER_TRAIN_BUDGET));
            job.put("evalEnabled", base.getBoolean(ConfigKey.EVAL_ENABLED));
            job.put("policies", base.get(ConfigKey.POLICIES));
            job.put("evalPublishSlates", base.getBoolean(ConfigKey.EVAL_PUBLISH_SLATES));
            result.put("pipelineJob", job);

            Map<String, Object> throughput = new LinkedHashMap<>();
            for (Dataset ds : datasets) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("events", ds.events.size());
                Map<String, Object> pass = skip.contains("passthrough") ? null : throughputRun(ds, true);
                Map<String, Object> full = skip.contains("pipeline") ? null : throughputRun(ds, false);
                r.put("passthrough", pass);
                r.put("pipeline", full);
                if (pass != null && full != null) {
                    double ratio = (double) full.get("eventsPerSecond") / (double) pass.get("eventsPerSecond");
                    r.put("ratioPipelineToPassthrough", Measurements.round(ratio, 3));
                    // The same ratio from CPU per event (pass-through CPU/event ÷ pipeline CPU/event): what the ratio
                    // would be with both CPU-bound on the same cores, independent of the host's other load.
                    r.put(
                            "cpuRatioPipelineToPassthrough",
                            Measurements.round(
                                    (double) pass.get("cpuMsPer1000Events") / (double) full.get("cpuMsPer1000Events"),
                                    3));
                    System.out.printf(Locale.ROOT, "bench: %s pipeline/pass-through = %.3f%n", ds.name, ratio);
                }
                throughput.put(ds.name, r);
            }
            result.put("throughput", throughput);

            Map<String, Object> latency = new LinkedHashMap<>();
            Dataset main = datasets.get(0);
            if (!skip.contains("latency-alo")) latency.put("at-least-once", latencyRun(main, "at-least-once"));
            if (!skip.contains("latency-eo")) latency.put("exactly-once", latencyRun(main, "exactly-once"));
            result.put("latency", latency);
        }
        result.put("learner", BenchSummary.learnerHeadline(result));
        result.put("targets", BenchSummary.targets(result));

        Path out = Path.of(opts.getOrDefault("out", "target/bench/result.json"));
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writeValueAsString(result));
        System.out.println(JSON.writeValueAsString(result));
        System.out.println("bench: wrote " + out.toAbsolutePath());
        return 0;
    }

    private record Dataset(String name, EventLog events, ItemCatalog catalog) {}

    /**
     * Two-stage serving: each actor subtask's {@code actorIndexRecall} gauge (recall@100 of its item index against
     * exact search on the live embeddings, measured at each rebuild); a value is kept when it changed.
     */
    private static void sampleIndexRecall(List<Double> recall) {
        for (double v : CollectingMetricReporter.gaugeValues("actorIndexRecall")) {
            if (!Double.isNaN(v) && (recall.isEmpty() || recall.get(recall.size() - 1) != v)) recall.add(v);
        }
    }

    private static Map<String, Object> recallSummary(List<Double> recall) {
        double[] v = recall.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", v.length);
        m.put("min", Measurements.round(v[0], 3));
        m.put("median", Measurements.round(v[v.length / 2], 3));
        m.put("max", Measurements.round(v[v.length - 1], 3));
        m.put("last", Measurements.round(recall.get(recall.size() - 1), 3));
        System.out.printf(
                Locale.ROOT,
                "bench:   item index recall@100 on the live embeddings: min %.3f, median %.3f, last %.3f (%d rebuilds seen)%n",
                v[0],
                v[v.length / 2],
                recall.get(recall.size() - 1),
                v.length);
        return m;
    }

    private static byte[] value(EventLog log, int i) {
        return Json.write(new RatingEvent(log.userId(i), log.itemId(i), log.rating(i), log.timestamp(i)));
    }

    private JobClient startJob(StreamrecConfig c, Dataset ds, boolean passThrough) throws Exception {
        org.apache.flink.configuration.Configuration conf = StreamrecJob.flinkConfiguration(c);
        CollectingMetricReporter.enable(conf);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(c.getInt(ConfigKey.PARALLELISM), conf);
        return passThrough
                ? PassThroughJob.start(env, c)
                : StreamrecJob.fromKafka(c, ds.catalog).executeAsync(env, "streamrec-bench");
    }

    private Map<String, Object> throughputRun(Dataset ds, boolean passThrough) throws Exception {
        String label = passThrough ? "passthrough" : "pipeline";
        StreamrecConfig c = runs.next(label, "at-least-once");
        int n = ds.events.size();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> p = BenchClients.producer(broker.bootstrapServers(), true)) {
            String topic = c.get(ConfigKey.TOPIC_RATINGS);
            for (int i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(
                        topic,
                        Integer.toString(ds.events.userId(i)).getBytes(StandardCharsets.UTF_8),
                        value(ds.events, i)));
            }
            p.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "bench: %s %s: pre-loaded %,d events in %.1f s; starting the job%n",
                ds.name,
                label,
                n,
                (System.nanoTime() - t0) / 1e9);
        Measurements.Memory.reset();
        LearnerObservation learning = new LearnerObservation();
        long start = System.currentTimeMillis();
        long cpuStart = Measurements.processCpuNanos();
        JobClient job = startJob(c, ds, passThrough);
        long count = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE, cpuUsed;
        long[] appendTimes = new long[n]; // of every output: the rate over the first and the last 100k
        long quietLimit = TimeUnit.SECONDS.toMillis(Long.parseLong(opts.getOrDefault("quiet-timeout-s", "90")));
        long lastProgress = System.currentTimeMillis(), lastPrint = lastProgress;
        List<Double> recall = new ArrayList<>(); // two-stage serving: the item index's recall@100 at each rebuild
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(
                broker.bootstrapServers(), c.get(ConfigKey.TOPIC_RECOMMENDATIONS), c.getInt(ConfigKey.PARALLELISM))) {
            while (count < n) {
                var records = consumer.poll(Duration.ofMillis(200));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (count < n) appendTimes[(int) count] = r.timestamp();
                    count++;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    if (!passThrough) learning.recommendation(r.value(), r.timestamp());
                }
                if (!records.isEmpty()) lastProgress = now;
                Measurements.Memory.sample();
                learning.sampleSteps();
                if (now - lastPrint > 5000) {
                    lastPrint = now;
                    if (!passThrough) sampleIndexRecall(recall);
                    System.out.printf(Locale.ROOT, "bench:   %,d / %,d outputs%n", count, n);
                }
                if (now - lastProgress > quietLimit) {
                    System.out.printf(
                            Locale.ROOT,
                            "bench:   no output for %d s: giving up with %,d of %,d%n",
                            quietLimit / 1000,
                            count,
                            n);
                    break;
                }
            }
        } finally {
            cpuUsed = Measurements.processCpuNanos() - cpuStart;
            BenchRuns.cancel(job);
        }
        double seconds = Math.max(1, last - first) / 1000.0;
        double eps = count > 1 ? (count - 1) / seconds : 0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("outputs", count);
        r.put("complete", count >= n);
        r.put("eventsPerSecond", Measurements.round(eps, 0));
        r.put("firstToLastOutputSeconds", Measurements.round(seconds, 3));
        r.put("jobStartToLastOutputSeconds", Measurements.round((last - start) / 1000.0, 3));
        // CPU of the whole JVM (job, broker, this consumer) from job start to the last output, per 1,000 events:
        // steadier than events/s on a shared host, where the wall clock depends on what else runs.
        r.put("cpuSeconds", Measurements.round(cpuUsed / 1e9, 2));
        r.put("cpuMsPer1000Events", Measurements.round(cpuUsed / 1e6 / Math.max(1, count) * 1000, 1));
        r.putAll(Measurements.Memory.peaks());
        r.putAll(Measurements.decay(appendTimes, (int) Math.min(count, n), 100_000));
        if (!passThrough) r.put("learner", learnerSummary(c, learning));
        if (!recall.isEmpty()) r.put("indexRecallAt100", recallSummary(recall));
        System.out.printf(
                Locale.ROOT,
                "bench: %s %s: %,.0f events/s (%,d outputs in %.2f s first→last; %.2f s from job start), %s CPU-ms per 1,000 events, peak RSS %s MB, peak heap %s MB%n",
                ds.name,
                label,
                eps,
                count,
                seconds,
                (last - start) / 1000.0,
                r.get("cpuMsPer1000Events"),
                r.get("peakRssMb"),
                r.get("peakHeapMb"));
        return r;
    }

    private Map<String, Object> latencyRun(Dataset ds, String delivery) throws Exception {
        StreamrecConfig c = runs.next("latency-" + delivery, delivery);
        int rate = Integer.parseInt(opts.getOrDefault("rate", "2000"));
        int measureSeconds = Integer.parseInt(opts.getOrDefault("latency-s", "20"));
        int warmupSeconds = 5;
        int total = Math.min(ds.events.size(), rate * (warmupSeconds + measureSeconds));
        int warmup = rate * warmupSeconds;
        Measurements.Memory.reset();
        LearnerObservation learning = new LearnerObservation();
        JobClient job = startJob(c, ds, false);
        BenchRuns.awaitRunning(job);
        LatencyReader reader = new LatencyReader(broker.bootstrapServers(), c, total, learning);
        Thread readerThread = new Thread(reader, "bench-latency-reader");
        readerThread.start();
        String topic = c.get(ConfigKey.TOPIC_RATINGS);
        long intervalNanos = 1_000_000_000L / rate;
        try (KafkaProducer<byte[], byte[]> p = BenchClients.producer(broker.bootstrapServers(), false)) {
            long begin = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = begin + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                String id = ds.events.userId(i) + "-" + ds.events.itemId(i) + "-" + ds.events.timestamp(i);
                boolean measured = i >= warmup;
                p.send(
                        new ProducerRecord<>(
                                topic,
                                Integer.toString(ds.events.userId(i)).getBytes(StandardCharsets.UTF_8),
                                value(ds.events, i)),
                        (md, e) -> {
                            if (e == null) reader.appended(id, measured ? md.timestamp() : -1L);
                        });
                if ((i & 1023) == 0) {
                    Measurements.Memory.sample();
                    learning.sampleSteps();
                }
            }
            p.flush();
        }
        reader.producerDone();
        readerThread.join(TimeUnit.MINUTES.toMillis(5));
        learning.sampleSteps();
        BenchRuns.cancel(job);
        Map<String, Object> r = reader.result(rate, total - warmup);
        r.put("learner", learnerSummary(c, learning));
        System.out.printf(
                Locale.ROOT,
                "bench: latency %s at %,d events/s: p50 %s ms, p95 %s ms, p99 %s ms (%,d events; checkpoint interval %d ms); append→actor emit p50 %s ms, p99 %s ms%n",
                delivery,
                rate,
                r.get("p50Ms"),
                r.get("p95Ms"),
                r.get("p99Ms"),
                r.get("measuredEvents"),
                c.getLong(ConfigKey.CHECKPOINT_INTERVAL_MS),
                r.get("appendToActorEmitP50Ms"),
                r.get("appendToActorEmitP99Ms"));
        return r;
    }

    /** The learner figures of a run, with the run's actor-weights topic read to its end. */
    private Map<String, Object> learnerSummary(StreamrecConfig c, LearnerObservation learning) {
        try (KafkaConsumer<byte[], byte[]> weights =
                BenchClients.consumer(broker.bootstrapServers(), c.get(ConfigKey.TOPIC_ACTOR_WEIGHTS), 1)) {
            Map<String, Object> m = learning.summary(weights);
            System.out.printf(
                    Locale.ROOT,
                    "bench:   learner %s steps/s (%s steps, %s dropped by the train budget), %s versions published, "
                            + "%s served; weights staleness p50 %s ms, max %s ms%n",
                    m.get("stepsPerSecond"),
                    m.get("trainSteps"),
                    m.get("droppedSteps"),
                    m.get("versionsPublished"),
                    m.get("versionsServed"),
                    m.get("weightsStalenessP50Ms"),
                    m.get("weightsStalenessMaxMs"));
            return m;
        }
    }
}
