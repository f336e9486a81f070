package io.streamrec.embedded;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.dashboard.DashboardFeed;
import io.streamrec.replay.ReplaySummary;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the output topics as any Kafka client would and prints what the embedded default is doing: a progress line
 * every two seconds (events in, recommendations out, rates, replay clock, dead letters, model version) and a sample
 * slate with titles; then the end-of-run summary.
 */
final class LiveMonitor implements AutoCloseable {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final long PROGRESS_EVERY_MS = 2000;
    private static final long SAMPLE_EVERY_MS = 6000;

    private final StreamrecConfig config;
    private final ItemCatalog catalog;
    private final long totalEvents;
    private final PrintStream out;
    private final Thread thread;
    private final Set<String> requestIds = new HashSet<>();
    private final Object lock = new Object();
    private volatile boolean running = true;
    private long recommendations;
    private long deadLetters;
    private long lastArrivalNanos = System.nanoTime();
    private long lastEventTime;
    private long modelVersion;
    private Throwable failure;

    LiveMonitor(StreamrecConfig config, ItemCatalog catalog, long totalEvents, PrintStream out) {
        this.config = config;
        this.catalog = catalog;
        this.totalEvents = totalEvents;
        this.out = out;
        this.thread = new Thread(this::consume, "streamrec-monitor");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return DashboardFeed.readCommittedConsumer(
                config.get(ConfigKey.BOOTSTRAP_SERVERS), config.kafkaProperties(), null);
    }

    private void consume() {
        String recTopic = config.get(ConfigKey.TOPIC_RECOMMENDATIONS);
        String dlqTopic = config.get(ConfigKey.TOPIC_DLQ);
        long started = System.currentTimeMillis();
        long nextProgress = started + PROGRESS_EVERY_MS;
        long nextSample = started + PROGRESS_EVERY_MS;
        long lastCount = 0;
        long lastProgressAt = started;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            // assign, not subscribe: a monitor must not join (or need) a consumer group
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(recTopic, dlqTopic)) {
                consumer.partitionsFor(topic)
                        .forEach(pi -> partitions.add(new TopicPartition(pi.topic(), pi.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                Recommendation sample = null;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    synchronized (lock) {
                        lastArrivalNanos = System.nanoTime();
                        if (r.topic().equals(dlqTopic)) {
                            deadLetters++;
                            continue;
                        }
                        Recommendation rec = Json.read(r.value(), Recommendation.class);
                        recommendations++;
                        requestIds.add(rec.requestId);
                        lastEventTime = Math.max(lastEventTime, rec.eventTime);
                        modelVersion = Math.max(modelVersion, rec.modelVersion);
                        if (sample == null) sample = rec;
                    }
                }
                long now = System.currentTimeMillis();
                if (now >= nextProgress) {
                    long count;
                    synchronized (lock) {
                        count = recommendations;
                    }
                    double rate = (count - lastCount) * 1000.0 / Math.max(1, now - lastProgressAt);
                    out.printf(
                            Locale.ROOT,
                            "[%6.1fs] recommendations %,d/%,d (%.0f%%) %,.0f/s | replay clock %s | dead letters %,d | model v%d%n",
                            (now - started) / 1000.0,
                            count,
                            totalEvents,
                            100.0 * count / Math.max(1, totalEvents),
                            rate,
                            lastEventTime == 0 ? "-" : DAY.format(Instant.ofEpochMilli(lastEventTime)),
                            deadLetters,
                            modelVersion);
                    lastCount = count;
                    lastProgressAt = now;
                    nextProgress = now + PROGRESS_EVERY_MS;
                }
                if (sample != null && now >= nextSample) {
                    out.println(describe(sample));
                    nextSample = now + SAMPLE_EVERY_MS;
                }
            }
        } catch (Throwable t) {
            synchronized (lock) {
                failure = t;
            }
        }
    }

    /** One slate as a person would read it: who, after rating what, got which titles. */
    String describe(Recommendation r) {
        String trigger = r.requestId;
        String[] parts = r.requestId.split("-");
        if (parts.length == 3) {
            int idx = catalog.indexOf(Integer.parseInt(parts[1]));
            trigger =
                    idx >= 0 && catalog.titleAt(idx) != null ? "\"" + catalog.titleAt(idx) + "\"" : "item " + parts[1];
        }
        String items = r.items.stream().map(LiveMonitor::label).collect(Collectors.joining("; "));
        return String.format(
                Locale.ROOT,
                "  sample: user %d rated %s → %s top-%d (v%d): %s",
                r.userId,
                trigger,
                r.policy,
                r.items.size(),
                r.modelVersion,
                items);
    }

    private static String label(RecommendedItem i) {
        return i.title != null ? i.title : "item " + i.itemId;
    }

    /** Waits until {@code expected} distinct requests were answered, or nothing arrived for {@code idleMillis}. */
    boolean awaitRecommendations(long expected, long idleMillis) throws InterruptedException {
        while (true) {
            synchronized (lock) {
                if (failure != null) throw new IllegalStateException("monitor failed: " + failure, failure);
                if (requestIds.size() + deadLetters >= expected) return true;
                if (System.nanoTime() - lastArrivalNanos > idleMillis * 1_000_000L) {
                    out.printf(
                            Locale.ROOT,
                            "streamrec: no output for %d s; %,d of %,d events answered%n",
                            idleMillis / 1000,
                            requestIds.size(),
                            expected);
                    return false;
                }
            }
            Thread.sleep(100);
        }
    }

    void printSummary(ReplaySummary replay, double seconds, PrintStream out) {
        synchronized (lock) {
            long distinct = requestIds.size();
            out.println();
            out.println("== streamrec run summary ==");
            out.printf(
                    Locale.ROOT,
                    "events replayed       %,d (malformed input lines skipped: %,d)%n",
                    replay.acknowledged(),
                    replay.malformed());
            out.printf(
                    Locale.ROOT,
                    "recommendations       %,d (distinct requests %,d, duplicates %,d)%n",
                    recommendations,
                    distinct,
                    recommendations - distinct);
            out.printf(Locale.ROOT, "dead letters          %,d%n", deadLetters);
            out.printf(Locale.ROOT, "model version         v%d%n", modelVersion);
            out.printf(
                    Locale.ROOT,
                    "wall time             %.1f s (replay %.1f s)%n",
                    seconds,
                    replay.elapsed().toMillis() / 1000.0);
            out.printf(Locale.ROOT, "end-to-end throughput %,.0f events/s%n", distinct / Math.max(1e-9, seconds));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    Map<String, Long> counts() {
        synchronized (lock) {
            return Map.of(
                    "recommendations",
                    recommendations,
                    "distinct",
                    (long) requestIds.size(),
                    "deadLetters",
                    deadLetters);
        }
    }
}
