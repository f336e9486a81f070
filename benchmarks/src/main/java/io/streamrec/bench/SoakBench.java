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
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./bench soak}: the full job (serving, joiner, learner, every policy and the evaluator, in one JVM with an
 * embedded broker) at a steady rate for N minutes. Every minute: what was sent and answered, the append → slate
 * latency, and the JVM's memory — resident set, heap, non-heap, direct buffers, and the rest of the resident set
 * (PyTorch's and RocksDB's native memory). The verdict compares the resident set at the end with minute 5 (a leak
 * grows it; warm-up happens before) and checks the job never restarted.
 */
public final class SoakBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String USAGE = """
            usage: ./bench soak [options] [job options]
              --minutes N     how long (default 10; the target run is 60)
              --rate N        steady rate, events/s (default 2000)
              --users N --items N --seed N   the simulated stream (default 6040 × 3706, seed 42), replayed in a loop
                              with its timestamps shifted on each pass
              --out FILE      JSON result (default target/bench/soak.json)
            job options: any key of docs/configuration.md
            """;

    public static void main(String[] args) throws Exception {
        Args parsed =
                Args.parse(args, Set.of("help"), Set.of("minutes", "rate", "users", "items", "seed", "out"), true);
        if (parsed.has("help")) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(parsed.options(), parsed.rest()));
    }

    static int run(Map<String, String> opts, List<String> jobArgs) throws Exception {
        int minutes = Integer.parseInt(opts.getOrDefault("minutes", "10"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "2000"));
        SyntheticConfig sc = SyntheticConfig.of(
                Integer.parseInt(opts.getOrDefault("users", "6040")),
                Integer.parseInt(opts.getOrDefault("items", "3706")),
                200_000,
                Long.parseLong(opts.getOrDefault("seed", "42")));
        SyntheticGenerator.SyntheticData data = SyntheticGenerator.generate(sc);
        EventLog events = data.events().sortByTime();
        Path work = Files.createTempDirectory("streamrec-soak");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("kafka"))) {
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
                    "soak: %d min at %,d events/s, eval.sample %s%n",
                    minutes,
                    rate,
                    c.get(ConfigKey.EVAL_SAMPLE));
            LatencyReader answers = new LatencyReader(broker.bootstrapServers(), c, Integer.MAX_VALUE, null);
            Thread reader = new Thread(answers, "soak-reader");
            reader.start();
            produce(broker, c, events, rate, minutes, answers, job, rows);
            answers.stop();
            reader.join(30_000);
            BenchRuns.cancel(job);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("minutes", minutes);
        result.put("rateEventsPerSecond", rate);
        result.put("perMinute", rows);
        result.put("verdict", verdict(rows));
        Path out = Path.of(opts.getOrDefault("out", "target/bench/soak.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), result);
        System.out.println("soak: wrote " + out.toAbsolutePath());
        return 0;
    }

    /** Sends at the steady rate, replaying the log in passes with shifted timestamps; a report row every minute. */
    private static void produce(
            EmbeddedKafkaBroker broker,
            StreamrecConfig c,
            EventLog events,
            int rate,
            int minutes,
            LatencyReader answers,
            JobClient job,
            List<Map<String, Object>> rows)
            throws Exception {
        String topic = c.get(ConfigKey.TOPIC_RATINGS);
        long span = events.timestamp(events.size() - 1) - events.timestamp(0) + 1_000;
        long interval = 1_000_000_000L / rate;
        long begin = System.nanoTime();
        long nextReport = begin + 60_000_000_000L;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> p = BenchClients.producer(broker.bootstrapServers(), false)) {
            for (long i = 0; rows.size() < minutes; i++) {
                long wait = begin + i * interval - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                int e = (int) (i % events.size());
                long ts = events.timestamp(e) + (i / events.size()) * span;
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
                    long answeredBefore = rows.isEmpty()
                            ? 0
                            : (long) rows.get(rows.size() - 1).get("answered");
                    rows.add(report(rows.size() + 1, sent, answeredBefore, answers, job));
                }
            }
            p.flush();
        }
    }

    private static Map<String, Object> report(
            int minute, long sent, long answeredBefore, LatencyReader answers, JobClient job) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heap = mem.getHeapMemoryUsage().getUsed() >> 20;
        long heapCommitted = mem.getHeapMemoryUsage().getCommitted() >> 20;
        long nonHeap = mem.getNonHeapMemoryUsage().getCommitted() >> 20;
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
            direct += pool.getMemoryUsed() >> 20;
        long rss = Measurements.currentRssKb() / 1024;
        long[] lat = answers.takeLatencies();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("minute", minute);
        row.put("sent", sent);
        long answered = answers.received();
        row.put("answered", answered);
        row.put("answeredPerSecond", Measurements.round((answered - answeredBefore) / 60.0, 1));
        row.put("p50Ms", Measurements.percentile(lat, 0.50));
        row.put("p99Ms", Measurements.percentile(lat, 0.99));
        row.put("rssMb", rss);
        row.put("heapUsedMb", heap);
        row.put("heapCommittedMb", heapCommitted);
        row.put("nonHeapMb", nonHeap);
        row.put("directMb", direct);
        // What the JVM does not account for: PyTorch's allocations, RocksDB, thread stacks, the allocator's caches.
        row.put("otherNativeMb", rss - heapCommitted - nonHeap - direct);
        row.put("jobStatus", job.getJobStatus().get().toString());
        row.put("restarts", CollectingMetricReporter.sum("numRestarts"));
        System.out.printf(
                Locale.ROOT,
                "soak: minute %3d  sent %,10d answered %,10d (%,.0f/s)  p50 %s ms p99 %s ms  RSS %,d MB  heap %,d/%,d MB"
                        + "  non-heap %,d MB  direct %,d MB  other native %,d MB  %s, restarts %s%n",
                minute,
                sent,
                answered,
                (double) row.get("answeredPerSecond"),
                row.get("p50Ms"),
                row.get("p99Ms"),
                rss,
                heap,
                heapCommitted,
                nonHeap,
                direct,
                (long) row.get("otherNativeMb"),
                row.get("jobStatus"),
                row.get("restarts"));
        return row;
    }

    /** RSS at the end within 5 % of minute 5 (of minute 1 for a run shorter than 6 minutes), and no restart. */
    static Map<String, Object> verdict(List<Map<String, Object>> rows) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (rows.isEmpty()) return v;
        // Minute 5 is past the warm-up (JIT, heap growth, RocksDB caches); a shorter run can only compare with minute
        // 1.
        Map<String, Object> base = rows.size() >= 6 ? rows.get(4) : rows.get(0);
        Map<String, Object> last = rows.get(rows.size() - 1);
        long from = ((Number) base.get("rssMb")).longValue();
        long to = ((Number) last.get("rssMb")).longValue();
        double growth = from > 0 ? (to - from) / (double) from : Double.NaN;
        boolean restarted = rows.stream()
                .anyMatch(r -> ((Number) r.get("restarts")).longValue() > 0
                        || !JobStatus.RUNNING.toString().equals(r.get("jobStatus")));
        v.put("rssBaselineMinute", base.get("minute"));
        v.put("rssGrowth", Measurements.round(growth, 4));
        v.put("rssWithin5Percent", Math.abs(growth) <= 0.05);
        v.put("noRestart", !restarted);
        System.out.printf(
                Locale.ROOT,
                "soak: RSS minute %s %,d MB -> minute %s %,d MB (%+.1f %%): %s; %s%n",
                base.get("minute"),
                from,
                last.get("minute"),
                to,
                growth * 100,
                Math.abs(growth) <= 0.05 ? "within 5 %" : "NOT within 5 %",
                restarted ? "the job restarted or stopped" : "no restart");
        return v;
    }
}
