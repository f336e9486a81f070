package io.streamrec.weights;

import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.ActorWeightsDelta;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code actor-weights} topic for one serving subtask: reads every partition from the beginning
 * (so a (re)started subtask loads the latest version before serving: {@link #catchUp}), then keeps polling. Each record
 * is validated by {@link ActorWeightsCodec} (schema, dimensions, CRC32C, finiteness): a full snapshot newer than the
 * serving version is swapped in; a delta is applied only on top of exactly its base version (a follower that missed a
 * delta waits for the next full snapshot). Invalid records — corrupt, of another shape than the serving model,
 * non-finite, or not newer than the serving version — are rejected: logged at WARN, counted ({@link #rejected()}, the
 * {@code actorWeightsRejected} metric) and skipped, so serving keeps the last good weights and never stops for them.
 * Every subtask reads the whole topic, i.e. the weights are broadcast.
 */
public final class WeightsFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeightsFollower.class);

    /** Where to follow from. */
    public record Source(String bootstrapServers, String topic, Properties kafkaProperties) implements Serializable {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Supplier<ActorWeights> current;
    private final Consumer<ActorWeights> swap;
    // Written by the follower thread only, read by the metric reporter.
    private volatile long rejected;
    private volatile long applied;

    public WeightsFollower(Source source, Supplier<ActorWeights> current, Consumer<ActorWeights> swap) {
        Properties p = new Properties();
        p.putAll(source.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Under exactly-once a version is only real once its checkpoint commits: an aborted one is published again
        // (other content, same number) after the learner restores, so serving must never see uncommitted weights.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.current = current;
        this.swap = swap;
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(source.topic(), Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Reads up to the topic's current end (or until {@code timeout}), applying what it finds. */
    public void catchUp(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (consumer.position(e.getKey()) < e.getValue()) done = false;
            }
            if (done) return;
            pollOnce(Duration.ofMillis(200));
        }
        LOG.warn("actor-weights catch-up did not reach the end of the topic within {}", timeout);
    }

    /**
     * One poll; applies every record in order and swaps the result in once: serving (and, with two-stage serving,
     * the item index) is rebuilt per poll, not per record, so a follower that fell behind catches up in one step.
     */
    public void pollOnce(Duration wait) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
        if (records.isEmpty()) return;
        ActorWeights now = current.get();
        ActorWeights latest = now;
        for (ConsumerRecord<byte[], byte[]> r : records) latest = fold(latest, r.value());
        if (latest == now) return;
        try {
            swap.accept(latest);
            applied++;
        } catch (RuntimeException e) {
            rejected++;
            LOG.warn("could not serve actor weights v{}: {}", latest.version(), e.toString());
        }
    }

    /** {@code latest} with one record applied; unchanged when the record is empty, a skipped delta or invalid. */
    private ActorWeights fold(ActorWeights latest, byte[] json) {
        if (json == null) return latest;
        try {
            ActorWeights next = next(latest, json);
            return next == null ? latest : next;
        } catch (RuntimeException e) {
            rejected++;
            LOG.warn("rejected an actor-weights record: {}", e.toString());
            return latest;
        }
    }

    /**
     * What serving {@code now} should switch to on reading {@code json}: a valid full snapshot newer than it, or {@code now}
     * with a valid delta applied when the delta's base is exactly {@code now}'s version; null when a delta does not
     * apply (a missed delta: wait for the next full snapshot).
     *
     * @throws RuntimeException when the record is invalid (schema, checksum, dimensions, non-finite values), has
     *                          another shape than {@code now}, or is not newer than {@code now}
     */
    public static ActorWeights next(ActorWeights now, byte[] json) {
        ActorWeightsCodec.Decoded decoded = ActorWeightsCodec.decode(json);
        if (decoded.full() != null) {
            ActorWeights full = decoded.full();
            if (now == null) return full;
            requireNewer(full.version(), now);
            if (full.embeddingDim() != now.embeddingDim()
                    || full.hiddenDim() != now.hiddenDim()
                    || full.windowSize() != now.windowSize()
                    || full.stateRepresentation() != now.stateRepresentation()) {
                throw new IllegalArgumentException("full snapshot v" + full.version() + " has shape d="
                        + full.embeddingDim()
                        + " h=" + full.hiddenDim() + " N=" + full.windowSize() + " state="
                        + full.stateRepresentation().key()
                        + ", serving has d=" + now.embeddingDim() + " h=" + now.hiddenDim() + " N=" + now.windowSize()
                        + " state=" + now.stateRepresentation().key());
            }
            return full;
        }
        ActorWeightsDelta delta = decoded.delta();
        if (now == null) return null;
        requireNewer(delta.version(), now);
        if (delta.baseVersion() != now.version()) {
            LOG.debug(
                    "skipping delta v{} on base v{}: serving v{}", delta.version(), delta.baseVersion(), now.version());
            return null;
        }
        return now.apply(delta);
    }

    /** A version at or below the serving one is stale (a restarted learner republishing, a replayed record). */
    private static void requireNewer(long version, ActorWeights now) {
        if (version <= now.version()) {
            throw new IllegalArgumentException(
                    "stale actor weights v" + version + ": serving v" + now.version() + " already");
        }
    }

    /**
     * The latest version on the topic (full snapshot plus the deltas chained on it), or null when there is none: where
     * a learner that starts without a checkpoint resumes, so versions keep increasing.
     */
    public static ActorWeights latest(Source source, Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<ActorWeights> latest =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (WeightsFollower f = new WeightsFollower(source, latest::get, latest::set)) {
            f.catchUp(timeout);
        }
        return latest.get();
    }

    public long rejected() {
        return rejected;
    }

    /** Swaps made: one per poll that brought a newer valid version. */
    public long applied() {
        return applied;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
