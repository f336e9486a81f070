package io.streamrec.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.closedloop.ClosedLoopUsers;
import io.streamrec.closedloop.Document;
import io.streamrec.closedloop.UserModel;
import io.streamrec.kafka.EmbeddedKafkaBroker;
import io.streamrec.schema.Cohorts;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import io.streamrec.schema.TopicSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed loop's Kafka protocol on a real broker: a stand-in recommender (not the job: this module has none)
 * answers every rating on {@code ratings} with a slate on {@code recommendations}, once and — for one request — twice,
 * plus a slate for a user nobody simulates; the client answers each request of its users exactly once.
 */
class ClosedLoopClientTest {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(0, null);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    void everyRequestOfASimulatedUserIsAnsweredOnceAndTimeMovesForward() throws Exception {
        broker.createTopics(1, "loop-ratings", "loop-recs");
        int[] ids = new int[200];
        int[] topics = new int[200];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
            topics[i] = i % 18;
        }
        List<Document> docs = ClosedLoopUsers.documents(ids, topics, 5);
        int[] kale = docs.stream()
                .sorted(Comparator.comparingDouble(Document::quality).reversed())
                .limit(10)
                .mapToInt(Document::itemId)
                .toArray();
        ClosedLoopUsers users = new ClosedLoopUsers(docs, UserModel.defaults(), 11, 1_000_000_000L);

        AtomicBoolean stop = new AtomicBoolean();
        List<RatingEvent> ratings = new ArrayList<>();
        Thread recommender = new Thread(() -> recommend(kale, stop, ratings), "stand-in-recommender");
        try (ClosedLoopClient client =
                new ClosedLoopClient(broker.bootstrapServers(), "loop-ratings", "loop-recs", new Properties(), users)) {
            recommender.start();
            client.start(4);
            long answered = client.run(300, Duration.ofSeconds(30));
            stop.set(true);
            recommender.join(30_000);

            assertThat(answered).isEqualTo(300);
            assertThat(client.sent()).isEqualTo(4 + 300);
            assertThat(client.ignored())
                    .as("the repeated slate and the stranger's")
                    .isGreaterThanOrEqualTo(2);
            synchronized (ratings) {
                assertThat(ratings.size()).isGreaterThanOrEqualTo(300);
                Map<Integer, Long> last = new HashMap<>();
                long streamTime = Long.MIN_VALUE;
                for (RatingEvent e : ratings) {
                    assertThat(e.userId).isBetween(1, 4);
                    assertThat(e.rating).isBetween(1f, 5f);
                    assertThat(e.timestamp).as("stream time never goes back").isGreaterThanOrEqualTo(streamTime);
                    streamTime = e.timestamp;
                    Long before = last.put(e.userId, e.timestamp);
                    if (before != null) assertThat(e.timestamp).isGreaterThan(before);
                }
            }
            assertThat(users.sessions()).as("sessions end and users come back").isNotEmpty();
        }
    }

    /**
     * The job dead-letters ratings from the future: a user whose simulated time reaches the present stops instead of
     * sending one and waiting for a slate that never comes, and the run ends by itself.
     */
    @Test
    void usersStopWhenTheirSimulatedTimeReachesThePresent() throws Exception {
        broker.createTopics(1, "present-ratings", "present-recs");
        int[] ids = new int[100];
        int[] topics = new int[100];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
            topics[i] = i % 18;
        }
        long start = System.currentTimeMillis() - Duration.ofDays(20).toMillis();
        ClosedLoopUsers users =
                new ClosedLoopUsers(ClosedLoopUsers.documents(ids, topics, 5), UserModel.defaults(), 9, start);
        AtomicBoolean stop = new AtomicBoolean();
        List<RatingEvent> ratings = new ArrayList<>();
        Thread recommender = new Thread(
                () -> everyPolicy(
                        "present-ratings",
                        "present-recs",
                        Map.of("p", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
                        stop,
                        ratings),
                "stand-in-present");
        try (ClosedLoopClient client = new ClosedLoopClient(
                broker.bootstrapServers(), "present-ratings", "present-recs", new Properties(), users)) {
            recommender.start();
            client.start(4);
            long began = System.nanoTime();
            long answered = client.run(5_000, Duration.ofSeconds(60)); // bounded: without the stop it never ends
            long ended = System.currentTimeMillis();
            stop.set(true);
            recommender.join(30_000);
            assertThat(client.reachedPresent())
                    .as("every user stopped at the present")
                    .isEqualTo(4);
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .as("the run ended by itself, not by the quiet timeout")
                    .isLessThan(Duration.ofSeconds(50));
            synchronized (ratings) {
                assertThat(ratings).isNotEmpty();
                assertThat(ratings).allSatisfy(e -> assertThat(e.timestamp).isLessThanOrEqualTo(ended));
            }
        }
    }

    /**
     * An A/B run: the stand-in writes one slate per policy for every rating (as the job does on policy-slates); each
     * user answers only its cohort's, and consumes only items of that policy's slate.
     */
    @Test
    void withCohortsAUserAnswersOnlyItsCohortsSlate() throws Exception {
        broker.createTopics(1, "ab-ratings", "ab-slates", "ab-metrics");
        int[] ids = new int[100];
        int[] topics = new int[100];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
            topics[i] = i % 18;
        }
        Map<String, int[]> slates = Map.of(
                "low", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                "high", new int[] {91, 92, 93, 94, 95, 96, 97, 98, 99, 100});
        Cohorts cohorts = new Cohorts(List.of("low", "high"));
        ClosedLoopUsers users =
                new ClosedLoopUsers(ClosedLoopUsers.documents(ids, topics, 5), UserModel.defaults(), 3, 1_000_000_000L);
        AtomicBoolean stop = new AtomicBoolean();
        List<RatingEvent> ratings = new ArrayList<>();
        Thread recommender =
                new Thread(() -> everyPolicy("ab-ratings", "ab-slates", slates, stop, ratings), "stand-in-policies");
        try (ClosedLoopClient client = new ClosedLoopClient(
                broker.bootstrapServers(), "ab-ratings", "ab-slates", new Properties(), users, cohorts)) {
            recommender.start();
            client.withStepsPerUser(25).withMetrics("ab-metrics", 3).start(8);
            long answered = client.run(Long.MAX_VALUE, Duration.ofSeconds(30));
            stop.set(true);
            recommender.join(30_000);
            assertThat(answered)
                    .as("8 users × 25 slates, then every user stops")
                    .isEqualTo(200);
            assertThat(client.ignored())
                    .as("the other cohort's slate of every request")
                    .isGreaterThanOrEqualTo(200);
        }
        int chosen = 0;
        synchronized (ratings) {
            Map<Integer, Integer> perUser = new HashMap<>();
            for (RatingEvent e : ratings) perUser.merge(e.userId, 1, Integer::sum);
            assertThat(perUser.values()).allSatisfy(n -> assertThat(n).isEqualTo(25)); // the start + 24 answers
            for (RatingEvent e : ratings) {
                int[] own = slates.get(cohorts.of(e.userId));
                boolean fromOwn = java.util.Arrays.stream(own).anyMatch(i -> i == e.itemId);
                int[] other = slates.get(cohorts.of(e.userId).equals("low") ? "high" : "low");
                boolean fromOther = java.util.Arrays.stream(other).anyMatch(i -> i == e.itemId);
                if (fromOwn) chosen++;
                // an item of the other cohort's slate only ever comes from browsing (never from that slate)
                if (fromOther) assertThat(fromOwn).isFalse();
            }
        }
        assertThat(chosen)
                .as("most answers are choices from the own cohort's slate")
                .isGreaterThan(100);

        // each cohort's finished sessions, three per metrics record, valid on the metrics topic's schema
        List<PolicyMetrics> windows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> in = consumer()) {
            TopicPartition tp = new TopicPartition("ab-metrics", 0);
            in.assign(List.of(tp));
            in.seekToBeginning(List.of(tp));
            for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofSeconds(5))) {
                assertThat(TopicSchemas.violations("metrics", r.value())).isEmpty();
                windows.add(Json.read(r.value(), PolicyMetrics.class));
            }
        }
        long sessionsInRecords = windows.stream().mapToLong(m -> m.count).sum();
        assertThat(windows).isNotEmpty().allSatisfy(m -> {
            assertThat(m.scope).isEqualTo(PolicyMetrics.SCOPE_CLOSED_LOOP);
            assertThat(m.policy).isIn("low", "high");
            assertThat(m.count).isEqualTo(3);
            assertThat(m.values).containsKeys("return", "ctr", "satisfaction", "sessionLength");
            assertThat(m.windowEnd).isGreaterThanOrEqualTo(m.windowStart);
        });
        assertThat(sessionsInRecords)
                .isLessThanOrEqualTo(users.sessions().size())
                .isGreaterThan(users.sessions().size() - 6);
    }

    /** For each rating, one slate per policy, tagged with its policy. */
    private static void everyPolicy(
            String ratingsTopic,
            String slatesTopic,
            Map<String, int[]> slates,
            AtomicBoolean stop,
            List<RatingEvent> seen) {
        try (KafkaConsumer<byte[], byte[]> in = consumer();
                KafkaProducer<byte[], byte[]> out = producer()) {
            TopicPartition tp = new TopicPartition(ratingsTopic, 0);
            in.assign(List.of(tp));
            in.seekToBeginning(List.of(tp));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(50))) {
                    RatingEvent e = Json.read(r.value(), RatingEvent.class);
                    synchronized (seen) {
                        seen.add(e);
                    }
                    for (Map.Entry<String, int[]> s : slates.entrySet()) {
                        Recommendation rec = new Recommendation();
                        rec.requestId = e.requestId();
                        rec.userId = e.userId;
                        rec.policy = s.getKey();
                        for (int item : s.getValue()) rec.items.add(new RecommendedItem(item, 1f, null, null));
                        out.send(new ProducerRecord<>(slatesTopic, Json.write(rec)));
                    }
                }
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers each rating with the fixed slate; the third rating's slate twice; one slate for user 99. */
    private static void recommend(int[] slate, AtomicBoolean stop, List<RatingEvent> seen) {
        try (KafkaConsumer<byte[], byte[]> in = consumer();
                KafkaProducer<byte[], byte[]> out = producer()) {
            TopicPartition tp = new TopicPartition("loop-ratings", 0);
            in.assign(List.of(tp));
            in.seekToBeginning(List.of(tp));
            int n = 0;
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(50))) {
                    RatingEvent e = Json.read(r.value(), RatingEvent.class);
                    synchronized (seen) {
                        seen.add(e);
                    }
                    Recommendation rec = new Recommendation();
                    rec.requestId = e.requestId();
                    rec.userId = e.userId;
                    rec.policy = "kale-oracle";
                    rec.eventTime = e.timestamp;
                    for (int item : slate) rec.items.add(new RecommendedItem(item, 1f, null, null));
                    byte[] json = Json.write(rec);
                    out.send(new ProducerRecord<>("loop-recs", json));
                    if (++n == 3) {
                        out.send(new ProducerRecord<>("loop-recs", json));
                        rec.userId = 99;
                        out.send(new ProducerRecord<>("loop-recs", Json.write(rec)));
                    }
                }
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(c);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
