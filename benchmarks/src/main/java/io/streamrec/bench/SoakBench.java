package io.streamrec.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.job.CollectingMetricReporter;
import io.streamrec.job.StreamrecJob;
import io.streamrec.kafka.ChildProcessBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./bench soak}: the full job (serving, joiner, learner, every policy and the evaluator, in a Flink MiniCluster)
 * at a steady rate for N minutes against a broker in a process of its own, so the resident set measured is the job's
 * (with this harness's producer and reader). The stream is the simulated log replayed in passes with each rating
 * stamped with the wall clock as it is sent: it never leaves the job's accepted time window (ratings more than 24 h
 * ahead are dead-lettered), however long the soak. Every minute: sent, answered, the append → slate latency, dead
 * letters, restarts, and memory — the job process's resident set, heap (used after the last collection), non-heap,
 * direct buffers, the rest of the resident set (PyTorch's and RocksDB's native memory), and the broker's resident set.
 * {@link SoakVerdict} judges the run; the exit code is 1 when it fails. {@code --histograms} writes a class histogram
 * of the heap at minute 10 and at the end, for finding what grows.
 */
public final class SoakBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String USAGE = """
            usage: ./bench soak [options] [job options]
              --minutes N     how long (default 10; the target run is 60)
              --rate N        steady rate, events/s (default 2000)
              --ramp-minutes N  the rate rises linearly from a quarter to the full rate over the first N minutes
                              (default 2, inside the verdict's 3-minute warm-up; 0: full rate from the start)
              --users N --items N --seed N   the simulated stream (default 6040 × 3706, seed 42), replayed in passes,
                              each rating stamped with the wall clock when it is sent
              --broker-heap S the broker process's -Xmx (default 1g)
              --histograms    heap class histograms at minute 10 and at the end (next to --out)
              --out FILE      JSON result (default target/bench/soak.json; a .csv beside it)
            job options: any key of docs/configuration.md
            """;

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(
                args,
                Set.of("help", "histograms"),
                Set.of("minutes", "rate", "ramp-minutes", "users", "items", "seed", "out", "broker-heap"),
                true);
        if (parsed.has("help")) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(parsed.options(), parsed.has("histograms"), parsed.rest()));
    }

    static int run(Map<String, String> opts, boolean histograms, List<String> jobArgs) throws Exception {
        int minutes = Integer.parseInt(opts.getOrDefault("minutes", "10"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "2000"));
        double rampMinutes = Double.parseDouble(opts.getOrDefault("ramp-minutes", "2"));
        if (rampMinutes < 0 || rampMinutes >= SoakVerdict.WARM_UP_MINUTES)
            throw new IllegalArgumentException("--ramp-minutes must lie in [0, " + SoakVerdict.WARM_UP_MINUTES + ")");
        SyntheticConfig sc = SyntheticConfig.of(
                Integer.parseInt(opts.getOrDefault("users", "6040")),
                Integer.parseInt(opts.getOrDefault("items", "3706")),
                200_000,
                Long.parseLong(opts.getOrDefault("seed", "42")));
        SyntheticGenerator.SyntheticData data = SyntheticGenerator.generate(sc);
        EventLog events = data.events().sortByTime();
        Path out = Path.of(opts.getOrDefault("out", "target/bench/soak.json")).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path work = Files.createTempDirectory("streamrec-soak");
        List<SoakVerdict.Minute> rows = new ArrayList<>();
        long finalAnswered;
        try (ChildProcessBroker broker =
                ChildProcessBroker.start(work.resolve("kafka"), opts.getOrDefault("broker-heap", "1g"))) {
            StreamrecConfig c = new BenchRuns(broker, work, jobArgs).next("soak", "at-least-once");
            org.apache.flink.configuration.Configuration conf = StreamrecJob.flinkConfiguration(c);
            CollectingMetricReporter.enable(conf);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(c.getInt(ConfigKey.PARALLELISM), conf);
            JobClient job =
                    StreamrecJob.fromKafka(c, ItemCatalog.of(data.movies())).executeAsync(env, "streamrec-soak");
            BenchRuns.awaitRunning(job);
            System.out.printf(
                    Locale.ROOT,
                    "soak: %d min at %,d events/s (ramp over the first %s min), eval.sample %s, checkpoints every %s"
                            + " ms; broker in process %d%n",
                    minutes,
                    rate,
                    rampMinutes,
                    c.get(ConfigKey.EVAL_SAMPLE),
                    c.get(ConfigKey.CHECKPOINT_INTERVAL_MS),
                    broker.pid());
            LatencyReader answers = new LatencyReader(broker.bootstrapServers(), c, Integer.MAX_VALUE, null);
            Thread reader = new Thread(answers, "soak-reader");
            reader.start();
            try (DeadLetterCount deadLetters = new DeadLetterCount(broker.bootstrapServers(), c)) {
                Minutes report = new Minutes(answers, job, broker, deadLetters, histograms ? out : null, minutes);
                produce(broker, c, events, new SendSchedule(rate, rampMinutes * 60), minutes, answers, report, rows);
                finalAnswered = drain(
                        answers, rows.isEmpty() ? 0 : rows.get(rows.size() - 1).sent());
            }
            answers.stop();
            reader.join(30_000);
            BenchRuns.cancel(job);
        }
        List<SoakVerdict.Check> checks = SoakVerdict.judge(rows, rate, finalAnswered, 0);
        boolean passed = SoakVerdict.passed(checks);
        System.out.println("soak: verdict " + (passed ? "PASSED" : "FAILED"));
        for (SoakVerdict.Check check : checks) System.out.println("  " + check);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("minutes", minutes);
        result.put("rateEventsPerSecond", rate);
        result.put("finalAnswered", finalAnswered);
        result.put("perMinute", rows);
        result.put("verdict", Map.of("passed", passed, "checks", checks));
        JSON.writeValue(out.toFile(), result);
        Files.writeString(csvBeside(out), csv(rows), StandardCharsets.UTF_8);
        Path png = out.resolveSibling(out.getFileName().toString().replaceAll("\\.json$", "") + ".png");
        if (!rows.isEmpty()) SoakPlot.write(png, rows, rate);
        System.out.println("soak: wrote " + out + ", " + csvBeside(out) + " and " + png);
        return passed ? 0 : 1;
    }

    /** Sends at the steady rate, replaying the log in passes, each rating stamped with the wall clock. */
    private static void produce(
            ChildProcessBroker broker,
            StreamrecConfig c,
            EventLog events,
            SendSchedule schedule,
            int minutes,
            LatencyReader answers,
            Minutes report,
            List<SoakVerdict.Minute> rows)
            throws Exception {
        String topic = c.get(ConfigKey.TOPIC_RATINGS);
        long begin = System.nanoTime();
        long nextReport = begin + 60_000_000_000L;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> p = BenchClients.producer(broker.bootstrapServers(), false)) {
            for (long i = 0; rows.size() < minutes; i++) {
                long wait = begin + schedule.nanosUntil(i) - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                int e = (int) (i % events.size());
                // The wall clock, not the log's time shifted by its span per pass: the job accepts it however long the
                // soak runs. A user's ratings keep their order; (user, item, time) stays unique across passes.
                long ts = System.currentTimeMillis();
                RatingEvent r = new RatingEvent(events.userId(e), events.itemId(e), events.rating(e), ts);
                String id = r.userId + "-" + r.itemId + "-" + ts;
                p.send(
                        new ProducerRecord<>(
                                topic, Integer.toString(r.userId).getBytes(StandardCharsets.UTF_8), Json.write(r)),
                        (md, ex) -> {
                            if (ex == null) answers.appended(id, md.timestamp());
                        });
                sent++;
                if (System.nanoTime() >= nextReport) {
                    nextReport += 60_000_000_000L;
                    rows.add(report.row(
                            rows.size() + 1,
                            sent,
                            rows.isEmpty() ? 0 : rows.get(rows.size() - 1).answered()));
                }
            }
            p.flush();
        }
    }

    /**
     * When the i-th rating is due: the rate rises linearly from a quarter of the target to the target over the ramp
     * (a cold JVM compiles, DJL loads, RocksDB opens: at the full rate from the first second the job starts with a
     * backlog it then works off at its spare capacity for minutes), then stays at the target.
     */
    record SendSchedule(int rate, double rampSeconds) {
        static final double START_FRACTION = 0.25;

        long nanosUntil(long i) {
            double seconds;
            double rampEvents = rate * rampSeconds * (1 + START_FRACTION) / 2;
            if (rampSeconds <= 0) seconds = (double) i / rate;
            else if (i >= rampEvents) seconds = rampSeconds + (i - rampEvents) / rate;
            else {
                // events sent by t: rate·(f·t + (1 − f)·t²/(2T)); solved for t
                double a = rate * (1 - START_FRACTION) / (2 * rampSeconds);
                double b = rate * START_FRACTION;
                seconds = (-b + Math.sqrt(b * b + 4 * a * i)) / (2 * a);
            }
            return (long) (seconds * 1e9);
        }
    }

    /** After the last minute: waits until every rating sent is answered, or answers stop coming for 15 s (60 s max). */
    private static long drain(LatencyReader answers, long sent) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long last = answers.received(), quietSince = System.currentTimeMillis();
        while (answers.received() < sent && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            long now = answers.received();
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - quietSince > 15_000) break;
        }
        return answers.received();
    }

    /** A rating not answered within this long is no longer waited for (the reader forgets its append time). */
    static final long UNANSWERED_AFTER_MS = 10 * 60_000L;

    /** Each minute's row: counts, latency, memory of the job's process and of the broker's. */
    private record Minutes(
            LatencyReader answers,
            JobClient job,
            ChildProcessBroker broker,
            DeadLetterCount deadLetters,
            Path histogramsNextTo,
            int lastMinute) {
        SoakVerdict.Minute row(int minute, long sent, long answeredBefore) throws Exception {
            if (histogramsNextTo != null && (minute == 10 || minute == lastMinute)) histogram(minute);
            long heapAfterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                    heapAfterGc += pool.getCollectionUsage().getUsed();
            }
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            long heapCommitted = mem.getHeapMemoryUsage().getCommitted() >> 20;
            long nonHeap = mem.getNonHeapMemoryUsage().getCommitted() >> 20;
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
                direct += pool.getMemoryUsed() >> 20;
            long rss = Measurements.currentRssKb() / 1024;
            long[] lat = answers.takeLatencies();
            long answered = answers.received();
            // Ten minutes is far beyond any latency a soak has seen (the worst minute's p99: 83 s).
            answers.forgetUnansweredBefore(System.currentTimeMillis() - UNANSWERED_AFTER_MS);
            SoakVerdict.Minute row = new SoakVerdict.Minute(
                    minute,
                    sent,
                    answered,
                    Measurements.round((answered - answeredBefore) / 60.0, 1),
                    Measurements.percentile(lat, 0.50),
                    Measurements.percentile(lat, 0.99),
                    rss,
                    heapAfterGc >> 20,
                    broker.rssKb() / 1024,
                    deadLetters.count(),
                    CollectingMetricReporter.sum("numRestarts"),
                    job.getJobStatus().get().toString());
            System.out.printf(
                    Locale.ROOT,
                    "soak: minute %3d  sent %,10d answered %,10d (%,.0f/s)  p50 %s ms p99 %s ms  dead letters %d"
                            + "  job RSS %,d MB (heap after GC %,d of %,d MB, non-heap %,d, direct %,d, other native"
                            + " %,d)  broker RSS %,d MB  %s, restarts %d%n",
                    minute,
                    sent,
                    answered,
                    row.answeredPerSecond(),
                    row.p50Ms(),
                    row.p99Ms(),
                    row.deadLetters(),
                    rss,
                    row.heapUsedMb(),
                    heapCommitted,
                    nonHeap,
                    direct,
                    rss - heapCommitted - nonHeap - direct,
                    row.brokerRssMb(),
                    row.jobStatus(),
                    row.restarts());
            return row;
        }

        /** The heap's class histogram (a full collection first), its top 40 lines, next to the result file. */
        private void histogram(int minute) {
            try {
                Object text = ManagementFactory.getPlatformMBeanServer()
                        .invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "gcClassHistogram",
                                new Object[] {new String[0]},
                                new String[] {String[].class.getName()});
                String top = ((String) text).lines().limit(43).reduce("", (a, b) -> a + b + "\n");
                Path file = histogramsNextTo.resolveSibling(
                        histogramsNextTo.getFileName().toString().replaceAll("\\.json$", "") + "-histogram-minute-"
                                + minute + ".txt");
                Files.writeString(file, top, StandardCharsets.UTF_8);
                System.out.println("soak: heap histogram of minute " + minute + " in " + file);
            } catch (Exception e) {
                System.out.println("soak: no heap histogram: " + e);
            }
        }
    }

    /** Records on the job's dead-letter topic (its end offsets: at-least-once writes no transaction markers). */
    private static final class DeadLetterCount implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();

        DeadLetterCount(String bootstrap, StreamrecConfig c) {
            String topic = c.get(ConfigKey.TOPIC_DLQ);
            consumer = BenchClients.consumer(bootstrap, List.of());
            for (var info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
        }

        long count() {
            long n = 0;
            for (long end : consumer.endOffsets(partitions).values()) n += end;
            return n;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static Path csvBeside(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", "") + ".csv");
    }

    /** The per-minute table as CSV (for plots and diffs). */
    static String csv(List<SoakVerdict.Minute> rows) {
        StringBuilder b = new StringBuilder(
                "minute,sent,answered,answered_per_s,p50_ms,p99_ms,job_rss_mb,heap_after_gc_mb,broker_rss_mb,"
                        + "dead_letters,restarts,job_status\n");
        for (SoakVerdict.Minute m : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%d,%.1f,%s,%s,%d,%d,%d,%d,%d,%s%n",
                    m.minute(),
                    m.sent(),
                    m.answered(),
                    m.answeredPerSecond(),
                    m.p50Ms() == null ? "" : m.p50Ms(),
                    m.p99Ms() == null ? "" : m.p99Ms(),
                    m.jobRssMb(),
                    m.heapUsedMb(),
                    m.brokerRssMb(),
                    m.deadLetters(),
                    m.restarts(),
                    m.jobStatus()));
        }
        return b.toString();
    }
}
