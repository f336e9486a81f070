package io.streamrec.dashboard;

import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.weights.WeightsMessageSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Feeds a {@link DashboardState} as any Kafka client could: reads the metrics, recommendations, dead-letter,
 * actor-weights and (when the job publishes every policy's slates) policy-slates topics from the beginning (committed
 * records only, no consumer group), counts the ratings topic by its end offsets, and every two seconds samples the
 * rates and, when given, the job's metrics from Flink's REST API.
 */
public final class DashboardFeed implements AutoCloseable {
    /** The topics read, by role (names as the job was configured). */
    public record Topics(
            String ratings,
            String recommendations,
            String metrics,
            String deadLetters,
            String weights,
            String policySlates) {}

    static final long SAMPLE_EVERY_MS = 2000;
    static final long RELIST_EVERY_MS = 10_000;

    private final DashboardState state;
    private final String bootstrapServers;
    private final Properties kafka;
    private final Topics topics;
    private final FlinkRestMetrics rest;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code flinkRest}: the JobManager's REST address (e.g. http://localhost:8081), or null for Kafka only. */
    public DashboardFeed(
            DashboardState state, String bootstrapServers, Properties kafka, Topics topics, String flinkRest) {
        this.state = state;
        this.topics = topics;
        this.rest = flinkRest == null || flinkRest.isBlank() ? null : new FlinkRestMetrics(flinkRest);
        this.bootstrapServers = bootstrapServers;
        this.kafka = kafka;
        this.thread = new Thread(this::run, "streamrec-dashboard-feed");
        thread.setDaemon(true);
    }

    public DashboardFeed start() {
        thread.start();
        return this;
    }

    /**
     * A consumer that sees what a downstream reader sees: committed records only, from the beginning, no offsets
     * committed ({@code groupId} null: no consumer group, for readers that assign partitions themselves).
     */
    public static KafkaConsumer<byte[], byte[]> readCommittedConsumer(
            String bootstrapServers, Properties kafka, String groupId) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (groupId != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer(bootstrapServers, kafka, null)) {
            while (running) {
                try {
                    step(consumer);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // Kafka away, a timeout: say so on the page and carry on (the page keeps what it has)
                    state.feedError(e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final Set<TopicPartition> assigned = new HashSet<>();
    private List<TopicPartition> ratings = List.of();
    private long nextSample;
    private long nextListing;
    private boolean sampleKafka;

    /** One round: new partitions, a poll, and every {@value #SAMPLE_EVERY_MS} ms a sample of the rates and the job. */
    private void step(KafkaConsumer<byte[], byte[]> kafka) throws InterruptedException {
        long now = System.currentTimeMillis();
        if (now >= nextSample) {
            // the job's metrics first: they are worth showing while Kafka is unreachable
            if (rest != null) {
                FlinkRestMetrics.Snapshot job = rest.read();
                state.jobMetrics(now, job.state(), job.values());
            }
            nextSample = now + SAMPLE_EVERY_MS;
            sampleKafka = true;
        }
        if (now >= nextListing) {
            // a dashboard may start before the job's topics exist, or a topic may gain partitions: read whatever is
            // new from its beginning (positions of the partitions already read are kept)
            Map<String, List<PartitionInfo>> existing = kafka.listTopics(Duration.ofSeconds(5));
            List<TopicPartition> read = partitions(
                    existing,
                    topics.metrics(),
                    topics.recommendations(),
                    topics.deadLetters(),
                    topics.weights(),
                    topics.policySlates());
            ratings = partitions(existing, topics.ratings());
            List<TopicPartition> added =
                    read.stream().filter(tp -> !assigned.contains(tp)).toList();
            if (!added.isEmpty()) {
                assigned.addAll(added);
                kafka.assign(assigned);
                kafka.seekToBeginning(added);
            }
            nextListing = now + RELIST_EVERY_MS;
        }
        if (!assigned.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : kafka.poll(Duration.ofMillis(200))) accept(r);
        } else {
            Thread.sleep(500);
        }
        if (sampleKafka) {
            long events = ratings.isEmpty()
                    ? -1
                    : kafka.endOffsets(ratings).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
            state.sample(now, events);
            state.feedError(null);
            sampleKafka = false;
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        try {
            if (topic.equals(topics.metrics())) {
                state.addMetrics(Json.read(r.value(), PolicyMetrics.class));
            } else if (topic.equals(topics.recommendations())) {
                state.addRecommendation(Json.read(r.value(), Recommendation.class));
            } else if (topic.equals(topics.policySlates())) {
                state.addPolicySlate(Json.read(r.value(), Recommendation.class));
            } else if (topic.equals(topics.deadLetters())) {
                state.addDeadLetter();
            } else if (topic.equals(topics.weights())) {
                String step = header(r, WeightsMessageSerializer.TRAIN_STEP_HEADER);
                String ratio = header(r, WeightsMessageSerializer.REPLAY_RATIO_HEADER);
                if (step != null)
                    state.addPublication(
                            r.timestamp(),
                            Long.parseLong(step),
                            ratio == null ? Double.NaN : Double.parseDouble(ratio));
            }
        } catch (Exception malformed) {
            // a record the dashboard cannot read is skipped: the job's schema tests own the topics' contracts
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<TopicPartition> partitions(Map<String, List<PartitionInfo>> existing, String... names) {
        List<TopicPartition> out = new ArrayList<>();
        for (String name : names) {
            for (PartitionInfo p : existing.getOrDefault(name, List.of()))
                out.add(new TopicPartition(p.topic(), p.partition()));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
