package io.streamrec.bench;

import io.streamrec.cli.Args;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code ./bench stage-cpu FILE.jfr --rate R}: the CPU each stage of the job spent per 1,000 events, from a flight
 * recording of a run at a steady rate (a soak: {@code JAVA_OPTS=... -XX:StartFlightRecording=...}). Each Java
 * thread's CPU comes from JFR's {@code jdk.ThreadCPULoad} samples (its share of the machine since its previous
 * sample, user + system), integrated over the window; threads map to stages by their names, which Flink gives its
 * task threads from the operator chain (the names in {@link #STAGES}). Threads outside the JVM (the broker's process)
 * and the JVM's own GC threads are not Java threads and are not counted.
 */
public final class StageCpu {
    /** Stage → thread-name prefixes; the first match wins, in this order. */
    static final Map<String, List<String>> STAGES = stages();

    private static Map<String, List<String>> stages() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("ingest (Kafka source, parsing, dead letters)", List.of("Source", "OutputFlusher for Source"));
        s.put("state + serving request (dedup, history, async actor operator, sinks)", List.of("duplicate-filter"));
        s.put("serving inference (DRR actor)", List.of("streamrec-actor", "streamrec-weights-follower"));
        s.put("reward joiner", List.of("reward-joiner"));
        s.put("learner", List.of("drr-learner"));
        s.put("evaluation: genre Q-tables", List.of("genreq"));
        s.put("evaluation: other policies", List.of("global-policies"));
        s.put("evaluation: metrics", List.of("prequential-evaluator", "eval-"));
        s.put("checkpoints (async writes, JobManager)", List.of("AsyncOperations", "jobmanager-io", "Flink-RocksDB"));
        s.put("Kafka clients (producers' network threads)", List.of("kafka-producer-network-thread"));
        s.put("JIT compiler", List.of("C1 CompilerThread", "C2 CompilerThread"));
        s.put("load generator and reader (bench harness)", List.of("main", "soak-reader"));
        return s;
    }

    static final String OTHER = "other (Flink RPC, metrics, timers, JVM)";

    public static void main(String[] args) throws IOException {
        Args parsed = Args.parse(args, Set.of(), Set.of("rate", "from-second", "to-second", "out"), true);
        if (parsed.rest().size() != 1 || !parsed.options().containsKey("rate")) {
            System.err.println("usage: ./bench stage-cpu FILE.jfr --rate EVENTS_PER_SECOND [--from-second S]"
                    + " [--to-second S] [--out table.md]");
            System.exit(2);
        }
        Path file = Path.of(parsed.rest().get(0));
        if (!Files.isReadable(file)) throw new IllegalArgumentException("no flight recording at " + file);
        double rate = Double.parseDouble(parsed.options().get("rate"));
        double from = Double.parseDouble(parsed.options().getOrDefault("from-second", "0"));
        double to = Double.parseDouble(parsed.options().getOrDefault("to-second", "1e12"));
        String table = table(measure(file, from, to), rate);
        System.out.print(table);
        if (parsed.options().containsKey("out"))
            Files.writeString(Path.of(parsed.options().get("out")), table);
    }

    /** What a recording's window holds: CPU-seconds per stage, the window's length, the machine's hardware threads. */
    record Window(Map<String, Double> cpuSeconds, double seconds, int hwThreads) {}

    static Window measure(Path file, double fromSecond, double toSecond) throws IOException {
        List<RecordedEvent> loads = new ArrayList<>();
        int hwThreads = Runtime.getRuntime().availableProcessors();
        Instant start = null;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (start == null || e.getStartTime().isBefore(start)) start = e.getStartTime();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ThreadCPULoad")) loads.add(e);
                else if (type.equals("jdk.CPUInformation")) hwThreads = e.getInt("hwThreads");
            }
        }
        loads.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        Map<Long, Instant> previous = new HashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String stage : STAGES.keySet()) cpu.put(stage, 0.0);
        cpu.put(OTHER, 0.0);
        double first = Double.MAX_VALUE;
        double last = 0;
        for (RecordedEvent e : loads) {
            RecordedThread t = e.getThread();
            if (t == null) continue;
            Instant now = e.getStartTime();
            Instant before = previous.put(t.getId(), now);
            if (before == null) continue;
            double at = seconds(start, now);
            double since = seconds(start, before);
            if (since < fromSecond || at > toSecond) continue;
            first = Math.min(first, since);
            last = Math.max(last, at);
            double share = e.getFloat("user") + e.getFloat("system"); // of the whole machine
            cpu.merge(stageOf(t.getJavaName()), share * hwThreads * (at - since), Double::sum);
        }
        return new Window(cpu, Math.max(0, last - first), hwThreads);
    }

    static String stageOf(String threadName) {
        String name = threadName == null ? "" : threadName;
        for (Map.Entry<String, List<String>> s : STAGES.entrySet()) {
            for (String prefix : s.getValue()) {
                if (name.startsWith(prefix)) return s.getKey();
            }
        }
        return OTHER;
    }

    /** A markdown table: per stage, cores busy on average and CPU-ms per 1,000 events at {@code rate}. */
    static String table(Window w, double rate) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "window %.0f s at %,.0f events/s, %d hardware threads%n%n",
                w.seconds(),
                rate,
                w.hwThreads()));
        out.append("| stage | cores busy | CPU-ms per 1,000 events |\n|---|---:|---:|\n");
        double total = 0;
        for (Map.Entry<String, Double> e : w.cpuSeconds().entrySet()) {
            double cores = w.seconds() == 0 ? 0 : e.getValue() / w.seconds();
            total += cores;
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.1f |%n", e.getKey(), cores, cores * 1e6 / rate));
        }
        out.append(String.format(
                Locale.ROOT, "| **the JVM's Java threads** | %.3f | %.1f |%n", total, total * 1e6 / rate));
        return out.toString();
    }

    private static double seconds(Instant start, Instant t) {
        return (t.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }
}
