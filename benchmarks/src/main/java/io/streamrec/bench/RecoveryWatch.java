package io.streamrec.bench;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The reading side of {@code ./bench recovery}: one read_committed consumer of the recommendations and actor-weights
 * topics. It counts every request's recommendations (lost, duplicated) and notes when, after the kill, the first
 * recommendation became visible, the first one answering a rating sent after the kill, and the first new weights.
 * Times are this machine's clock at the poll that returned the record (visible = committed for exactly-once); "after
 * the kill" is the record's broker append time (LogAppendTime, same clock), so output of the old tasks is not counted.
 */
final class RecoveryWatch implements Runnable {
    private final String bootstrap;
    private final String recommendations;
    private final String weights;
    private final int partitions;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new HashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long killAt = Long.MAX_VALUE;
    private static final int MAX_TIMES = 1 << 20;
    /** Per recommendation appended after the kill, in poll order: append time, visible time, its rating's send time. */
    private final List<Long> afterKillRecords = java.util.Collections.synchronizedList(new ArrayList<>());

    private volatile long firstWeights = -1;

    RecoveryWatch(String bootstrap, StreamrecConfig c) {
        this.bootstrap = bootstrap;
        this.recommendations = c.get(ConfigKey.TOPIC_RECOMMENDATIONS);
        this.weights = c.get(ConfigKey.TOPIC_ACTOR_WEIGHTS);
        this.partitions = c.getInt(ConfigKey.PARALLELISM);
    }

    /** A rating was sent (wall clock). */
    void sent(String requestId, long at) {
        sentAt.put(requestId, at);
    }

    void killedAt(long at) {
        killAt = at;
    }

    void stop() {
        running.set(false);
    }

    /** Waits until {@code expected} distinct requests are answered, or the topic has been quiet for 30 s, or timeout. */
    void awaitAnswers(long expected, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long last = -1, quietSince = System.currentTimeMillis();
        while (answered.get() < expected && System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            if (answered.get() != last) {
                last = answered.get();
                quietSince = now;
            } else if (now - quietSince > 30_000) {
                break;
            }
            Thread.sleep(200);
        }
    }

    long answeredRequests() {
        return answered.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /**
     * When the first recommendation appended after {@code restartedAt} became visible, or -1: the surviving
     * TaskManager's tasks keep writing for the moments until the JobManager cancels them, so "flowing again" counts
     * from the restart (the job's switch back to RUNNING, after every old task was cancelled).
     */
    long firstRecommendationAppendedAfter(long restartedAt) {
        return firstVisible(restartedAt, Long.MIN_VALUE);
    }

    /**
     * When the restarted job had worked through its backlog: the first recommendation it appended for a rating sent
     * after the restart became visible; -1 if none.
     */
    long caughtUpAfter(long restartedAt) {
        return firstVisible(restartedAt, restartedAt);
    }

    private long firstVisible(long appendedAfter, long ratingSentAfter) {
        synchronized (afterKillRecords) {
            for (int i = 0; i + 2 < afterKillRecords.size(); i += 3) {
                if (afterKillRecords.get(i) > appendedAfter && afterKillRecords.get(i + 2) > ratingSentAfter)
                    return afterKillRecords.get(i + 1);
            }
        }
        return -1;
    }

    long firstWeightsAfterKill() {
        return firstWeights;
    }

    @Override
    public void run() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(recommendations, i));
        tps.add(new TopicPartition(weights, 0));
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(bootstrap, tps)) {
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    boolean afterKill = r.timestamp() > killAt;
                    if (r.topic().equals(weights)) {
                        if (afterKill && firstWeights < 0) firstWeights = now;
                        continue;
                    }
                    String id = Measurements.requestId(r.value());
                    if (afterKill && afterKillRecords.size() < 3 * MAX_TIMES) {
                        Long sent = id == null ? null : sentAt.get(id);
                        afterKillRecords.add(r.timestamp());
                        afterKillRecords.add(now);
                        afterKillRecords.add(sent == null ? -1L : sent);
                    }
                    if (id == null) continue;
                    int n = answers.merge(id, 1, Integer::sum);
                    if (n == 1) answered.incrementAndGet();
                    else duplicates.incrementAndGet();
                }
            }
        }
    }
}
