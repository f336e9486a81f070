package io.streamrec.loop;

import io.streamrec.closedloop.ClosedLoopUsers;
import io.streamrec.closedloop.Reaction;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closed loop as a Kafka client: simulated users ({@link ClosedLoopUsers}) start with an item they found
 * themselves, then answer each recommendation the job writes for them on {@code recommendations} with their reaction
 * on {@code ratings} (the same schema as a replay): the chosen slate item and its rating, or — no choice — an item
 * found on their own, so every user's stream goes on. One answer per request (a slate for an older request of the
 * user, or a second copy after an at-least-once restart, is ignored); recommendations for users it does not simulate
 * are ignored too. Event times come from the users' own clocks ({@link EventClock}).
 */
public final class ClosedLoopClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedLoopClient.class);

    private final ClosedLoopUsers users;
    private final String ratingsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventClock clock = new EventClock();
    /** The request id each simulated user waits on (the rating it sent last). */
    private final Map<Integer, String> waiting = new HashMap<>();

    private long sent;
    private long answered;
    private long ignored;

    public ClosedLoopClient(
            String bootstrap,
            String ratingsTopic,
            String recommendationsTopic,
            Properties kafka,
            ClosedLoopUsers users) {
        this.users = users;
        this.ratingsTopic = ratingsTopic;
        Properties p = new Properties();
        p.putAll(kafka);
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "0");
        this.producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.putAll(kafka);
        c.put("bootstrap.servers", bootstrap);
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        c.put("isolation.level", "read_committed");
        c.put("enable.auto.commit", "false");
        this.consumer = new KafkaConsumer<>(c);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(recommendationsTopic, Duration.ofSeconds(30)))
            parts.add(new TopicPartition(recommendationsTopic, info.partition()));
        consumer.assign(parts);
        consumer.seekToEnd(parts); // only slates made for this run's ratings
        for (TopicPartition tp : parts) consumer.position(tp, Duration.ofSeconds(30));
    }

    /** Starts users {@code 1 … count}: each sends one rating of an item found on its own. */
    public void start(int count) {
        for (int u = 1; u <= count; u++) send(users.browse(u));
        producer.flush();
    }

    /**
     * Reads recommendations and answers them until {@code maxAnswers} have been answered or nothing arrived for
     * {@code quiet}; returns the number answered in this call.
     */
    public long run(long maxAnswers, Duration quiet) {
        long before = answered;
        long lastActivity = System.nanoTime();
        while (answered - before < maxAnswers && System.nanoTime() - lastActivity < quiet.toNanos()) {
            var records = consumer.poll(Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (answered - before >= maxAnswers) break;
                if (answer(r.value())) lastActivity = System.nanoTime();
            }
            producer.flush();
        }
        return answered - before;
    }

    private boolean answer(byte[] json) {
        Recommendation rec;
        try {
            rec = Json.read(json, Recommendation.class);
        } catch (IOException e) {
            LOG.warn("ignoring a recommendation that does not parse: {}", e.getMessage());
            ignored++;
            return false;
        }
        String expected = waiting.get(rec.userId);
        if (expected == null || !expected.equals(rec.requestId)) {
            ignored++;
            return false;
        }
        int[] slate = new int[rec.items.size()];
        for (int i = 0; i < slate.length; i++) slate[i] = rec.items.get(i).itemId;
        Reaction r = users.respond(rec.userId, slate);
        send(r.chose() ? r : users.browse(rec.userId));
        answered++;
        return true;
    }

    private void send(Reaction r) {
        RatingEvent e = new RatingEvent(r.userId(), r.itemId(), r.rating(), clock.stamp(r.userId(), r.timestamp()));
        waiting.put(e.userId, e.requestId());
        producer.send(new ProducerRecord<>(
                ratingsTopic, Integer.toString(e.userId).getBytes(StandardCharsets.UTF_8), Json.write(e)));
        sent++;
    }

    public long sent() {
        return sent;
    }

    public long answered() {
        return answered;
    }

    /** Recommendations read but not answered (other users, older requests, repeats). */
    public long ignored() {
        return ignored;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(10));
    }
}
