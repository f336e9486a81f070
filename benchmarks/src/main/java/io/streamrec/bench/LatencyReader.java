package io.streamrec.bench;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The consumer side of a latency run: reads the recommendations topic (read_committed) and matches each slate to the
 * broker append time of its rating. The split at the actor: append → slate emitted (emitTime, set when the actor
 * completes the request) and emitted → visible to the consumer (async emit, Kafka sink, broker, and for exactly-once
 * the commit). Bounded ({@code total} answers, or quiet after the producer is done) for a latency run; unbounded
 * until {@link #stop()} for a soak, which takes the latencies minute by minute ({@link #takeLatencies()}).
 */
final class LatencyReader implements Runnable {
    private final String bootstrap;
    private final StreamrecConfig config;
    private final int total;
    private final LearnerObservation learning;
    private final Map<String, Long> appended;
    private final List<Long> latencies;
    private final List<Long> toEmit;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong received = new AtomicLong();

    /** @param learning observes the slates' model versions; may be null */
    LatencyReader(String bootstrap, StreamrecConfig config, int total, LearnerObservation learning) {
        this.bootstrap = bootstrap;
        this.config = config;
        this.total = total;
        this.learning = learning;
        int expected = Math.min(total, 1 << 20);
        this.appended = new ConcurrentHashMap<>(expected * 2);
        this.latencies = Collections.synchronizedList(new ArrayList<>(expected));
        this.toEmit = Collections.synchronizedList(new ArrayList<>(expected));
    }

    /** A rating's broker append time (-1: a warm-up event, not measured). */
    void appended(String requestId, long appendTime) {
        appended.put(requestId, appendTime);
    }

    /**
     * Forgets the ratings appended before {@code cutoff} (epoch ms) that no slate has answered yet, and returns how
     * many: a rating the job never answers (a duplicate it drops, a dead letter) would otherwise stay here for the
     * rest of a soak, in the job's JVM, whose memory the soak measures.
     */
    int forgetUnansweredBefore(long cutoff) {
        int before = appended.size();
        appended.values().removeIf(appendTime -> appendTime < cutoff);
        return before - appended.size();
    }

    /** Ratings appended and not answered yet. */
    int waiting() {
        return appended.size();
    }

    /** No more ratings: stop once the topic has been quiet for a while. */
    void producerDone() {
        producing.set(false);
    }

    /** Stop reading now. */
    void stop() {
        running.set(false);
    }

    /** Slates read so far. */
    long received() {
        return received.get();
    }

    /**
     * The latencies (ms) measured since the last call, sorted. A soak takes them minute by minute; the split at the
     * actor is dropped with them, so nothing the reader keeps grows with the length of the run.
     */
    long[] takeLatencies() {
        toEmit.clear();
        synchronized (latencies) {
            long[] sorted = sorted(latencies);
            latencies.clear();
            return sorted;
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(
                bootstrap, config.get(ConfigKey.TOPIC_RECOMMENDATIONS), config.getInt(ConfigKey.PARALLELISM))) {
            long quietSince = System.currentTimeMillis();
            long quietLimit = config.getLong(ConfigKey.CHECKPOINT_INTERVAL_MS) * 3 + 30_000;
            while (running.get() && received.get() < total) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                if (!records.isEmpty()) quietSince = now;
                else if (!producing.get() && now - quietSince > quietLimit) break;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    received.incrementAndGet();
                    if (learning != null) learning.recommendation(r.value(), r.timestamp());
                    String requestId = Measurements.requestId(r.value());
                    Long in = requestId == null ? null : appended.remove(requestId);
                    if (in != null && in >= 0) {
                        latencies.add(now - in);
                        long emit = Measurements.longField(r.value(), Measurements.EMIT_TIME);
                        if (emit > 0) toEmit.add(emit - in);
                    }
                }
            }
        }
    }

    /** The latency percentiles (ms) and peak memory of the run. */
    Map<String, Object> result(int rate, int expected) {
        long[] sorted = sorted(latencies);
        long[] emitSorted = sorted(toEmit);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rateEventsPerSecond", rate);
        r.put("measuredEvents", sorted.length);
        r.put("expectedEvents", expected);
        r.put("checkpointIntervalMs", config.getLong(ConfigKey.CHECKPOINT_INTERVAL_MS));
        r.put("p50Ms", Measurements.percentile(sorted, 0.50));
        r.put("p95Ms", Measurements.percentile(sorted, 0.95));
        r.put("p99Ms", Measurements.percentile(sorted, 0.99));
        r.put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1]);
        r.put("appendToActorEmitP50Ms", Measurements.percentile(emitSorted, 0.50));
        r.put("appendToActorEmitP99Ms", Measurements.percentile(emitSorted, 0.99));
        r.putAll(Measurements.Memory.peaks());
        return r;
    }

    private static long[] sorted(List<Long> values) {
        synchronized (values) {
            return values.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }
}
