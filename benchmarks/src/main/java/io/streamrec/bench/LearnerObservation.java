package io.streamrec.bench;

import io.streamrec.job.CollectingMetricReporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the harness measures of the learning loop during one run, from outside the job: learner steps/s (the
 * learner's {@code trainSteps} gauge through {@link CollectingMetricReporter}, sampled while the run lasts) and weights staleness
 * per published version v = broker append time of the first recommendation carrying version ≥ v minus the broker
 * append time of v's actor-weights record (both topics LogAppendTime, one broker clock). "≥ v" because serving may
 * apply v and v+1 in one poll, so v itself never appears on a slate although its weights are in use.
 */
final class LearnerObservation {
    private static final byte[] MODEL_VERSION = "\"modelVersion\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.UTF_8);

    /** Earliest append time of a recommendation per model version. */
    private final TreeMap<Long, Long> firstUse = new TreeMap<>();

    private long firstStepAt = -1, firstSteps, lastStepAt = -1, lastSteps;
    private long recommendations;
    private long droppedSteps = -1;
    private long lastSampleNanos;

    LearnerObservation() {}

    /** The learner's gauge {@code name}, or -1 while the learner has not registered it (metrics of ended jobs are gone). */
    private static long learnerGauge(String name) {
        return CollectingMetricReporter.has("", name) ? CollectingMetricReporter.sum(name) : -1;
    }

    /** One recommendation record (its JSON and broker timestamp); called by one thread. */
    void recommendation(byte[] json, long timestamp) {
        long v = Measurements.longField(json, MODEL_VERSION);
        if (v < 0) return;
        recommendations++;
        firstUse.merge(v, timestamp, Math::min);
    }

    /**
     * Samples the learner's step counter; called by one thread, often (each consumer poll), but reads the gauges at
     * most once a second: each read walks every metric of the job, and on every poll that was 4% of the run's Java
     * profile (the harness shares the job's two cores).
     */
    void sampleSteps() {
        long at = System.nanoTime();
        if (lastSampleNanos != 0 && at - lastSampleNanos < 1_000_000_000L) return;
        lastSampleNanos = at;
        long steps = learnerGauge("trainSteps");
        long dropped = learnerGauge("droppedSteps");
        if (dropped >= 0) droppedSteps = dropped; // sampled while the job runs: its metrics go when it ends
        if (steps <= 0) return;
        long now = System.currentTimeMillis();
        if (firstStepAt < 0) {
            firstStepAt = now;
            firstSteps = steps;
        }
        if (steps != lastSteps) {
            lastStepAt = now;
            lastSteps = steps;
        }
    }

    /** The figures of this run, reading the actor-weights topic to its end. */
    Map<String, Object> summary(KafkaConsumer<byte[], byte[]> weightsConsumer) {
        List<long[]> published = new ArrayList<>(); // {version, append time}
        int quietPolls = 0;
        while (quietPolls < 3) {
            var records = weightsConsumer.poll(Duration.ofMillis(500));
            if (records.isEmpty()) quietPolls++;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                long v = Measurements.longField(r.value(), VERSION);
                if (v >= 0) published.add(new long[] {v, r.timestamp()});
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainSteps", lastSteps);
        m.put("droppedSteps", droppedSteps < 0 ? null : droppedSteps);
        double stepSeconds = (lastStepAt - firstStepAt) / 1000.0;
        m.put("stepsPerSecond", stepSeconds > 0 ? Measurements.round((lastSteps - firstSteps) / stepSeconds, 1) : null);
        m.put("versionsPublished", published.size());
        // Suffix minimum: the first slate with a version ≥ v.
        TreeMap<Long, Long> firstAtLeast = new TreeMap<>();
        long min = Long.MAX_VALUE;
        for (var e : firstUse.descendingMap().entrySet()) {
            min = Math.min(min, e.getValue());
            firstAtLeast.put(e.getKey(), min);
        }
        List<Long> staleness = new ArrayList<>();
        int exact = 0;
        for (long[] p : published) {
            var use = firstAtLeast.ceilingEntry(p[0]);
            if (use == null) continue; // published after the last slate of the run
            if (use.getKey() == p[0]) exact++;
            staleness.add(Math.max(0, use.getValue() - p[1]));
        }
        long[] sorted = staleness.stream().mapToLong(Long::longValue).sorted().toArray();
        m.put("versionsServed", sorted.length);
        m.put("versionsSeenOnASlate", exact);
        m.put("modelVersionsOnSlates", firstUse.size());
        m.put("weightsStalenessP50Ms", Measurements.percentile(sorted, 0.50));
        m.put("weightsStalenessMaxMs", sorted.length == 0 ? null : sorted[sorted.length - 1]);
        return m;
    }
}
