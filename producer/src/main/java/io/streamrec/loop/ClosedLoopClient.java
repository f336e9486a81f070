package io.streamrec.loop;

import io.streamrec.closedloop.ClosedLoopUsers;
import io.streamrec.closedloop.Reaction;
import io.streamrec.closedloop.SessionSummary;
import io.streamrec.schema.Cohorts;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
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
 * found on their own, so every user's stream goes on. With {@link Cohorts}, an online A/B test: each user answers
 * only its cohort's policy's slate (read from {@code policy-slates}). One answer per request (a slate for an older request of the
 * user, or a second copy after an at-least-once restart, is ignored); recommendations for users it does not simulate
 * are ignored too. Event times come from the users' own clocks ({@link EventClock}).
 */
public final class ClosedLoopClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedLoopClient.class);

    private final ClosedLoopUsers users;
    private final Cohorts cohorts;
    private final String ratingsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventClock clock = new EventClock();
    private long reachedPresent;
    /** What a simulated user waits for: the slate of the rating it sent last, since (System.nanoTime). */
    private record Waiting(String requestId, long since) {}

    private final Map<Integer, Waiting> waiting = new HashMap<>();
    private Duration patience = Duration.ofSeconds(120);
    private long stepsPerUser = Long.MAX_VALUE;
    private CohortMetrics metrics;
    private final Map<Integer, Long> steps = new HashMap<>();
    private long retries;

    private long sent;
    private long answered;
    private long ignored;

    public ClosedLoopClient(
            String bootstrap,
            String ratingsTopic,
            String recommendationsTopic,
            Properties kafka,
            ClosedLoopUsers users) {
        this(bootstrap, ratingsTopic, recommendationsTopic, kafka, users, null);
    }

    /**
     * @param slatesTopic {@code recommendations}, or with {@code cohorts} the job's {@code policy-slates} (every
     *                    policy's slate for every request)
     * @param cohorts     null: answer the one slate per request; else answer only the slate of the user's cohort
     */
    public ClosedLoopClient(
            String bootstrap,
            String ratingsTopic,
            String slatesTopic,
            Properties kafka,
            ClosedLoopUsers users,
            Cohorts cohorts) {
        this.users = users;
        this.cohorts = cohorts;
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
        for (PartitionInfo info : consumer.partitionsFor(slatesTopic, Duration.ofSeconds(30)))
            parts.add(new TopicPartition(slatesTopic, info.partition()));
        consumer.assign(parts);
        consumer.seekToEnd(parts); // only slates made for this run's ratings
        for (TopicPartition tp : parts) consumer.position(tp, Duration.ofSeconds(30));
    }

    /**
     * Where simulated time starts: 2000-01-01 UTC, the same every day, so a seeded simulation produces the same event
     * times whenever it runs. Simulated users live minutes per step and days between sessions; the job dead-letters
     * ratings from the future, so a user whose time reaches the present stops ({@link #send}) — after about 26 years
     * of simulated time, thousands of slates per user.
     */
    public static long simulationStart() {
        return SIMULATION_START;
    }

    private static final long SIMULATION_START =
            java.time.Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

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
        while (answered - before < maxAnswers
                && !waiting.isEmpty()
                && System.nanoTime() - lastActivity < quiet.toNanos()) {
            var records = consumer.poll(Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (answered - before >= maxAnswers) break;
                if (answer(r.value())) lastActivity = System.nanoTime();
            }
            retryStalled();
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
        Waiting expected = waiting.get(rec.userId);
        if (expected == null
                || !expected.requestId().equals(rec.requestId)
                || (cohorts != null && !cohorts.of(rec.userId).equals(rec.policy))) {
            ignored++;
            return false;
        }
        int[] slate = new int[rec.items.size()];
        for (int i = 0; i < slate.length; i++) slate[i] = rec.items.get(i).itemId;
        Reaction r = users.respond(rec.userId, slate);
        answered++;
        if (r.sessionEnded() && metrics != null)
            metrics.finished(users.sessions().get(users.sessions().size() - 1), r.timestamp(), slate.length);
        if (steps.merge(rec.userId, 1L, Long::sum) >= stepsPerUser) {
            waiting.remove(rec.userId); // done: this user sends nothing more
            return true;
        }
        send(r.chose() ? r : users.browse(rec.userId));
        return true;
    }

    /**
     * A user whose rating got no slate within the patience (the job dead-lettered it, or lost it at at-least-once)
     * would wait forever: it carries on with an item found on its own.
     */
    private void retryStalled() {
        long now = System.nanoTime();
        List<Integer> stalled = new ArrayList<>();
        for (Map.Entry<Integer, Waiting> e : waiting.entrySet())
            if (now - e.getValue().since() > patience.toNanos()) stalled.add(e.getKey());
        for (int userId : stalled) {
            LOG.debug(
                    "user {} got no slate for {} within {}: browsing on",
                    userId,
                    waiting.get(userId).requestId(),
                    patience);
            retries++;
            send(users.browse(userId));
        }
    }

    /**
     * Also writes each cohort's finished sessions, a window of {@code sessions} at a time, to the {@code metrics}
     * topic ({@link PolicyMetrics#SCOPE_CLOSED_LOOP}), so they can be followed over time like the evaluation's.
     */
    public ClosedLoopClient withMetrics(String topic, int sessions) {
        this.metrics = new CohortMetrics(topic, sessions);
        return this;
    }

    /**
     * Each user stops after answering this many slates, so that in an A/B run every cohort gets the same number of
     * steps per user however fast its policy answers (default: no limit).
     */
    public ClosedLoopClient withStepsPerUser(long steps) {
        this.stepsPerUser = steps;
        return this;
    }

    /** How long a user waits for the slate of its rating before it carries on by itself (default 120 s: a loaded job may answer late). */
    public ClosedLoopClient withPatience(Duration patience) {
        this.patience = patience;
        return this;
    }

    private void send(Reaction r) {
        RatingEvent e = new RatingEvent(r.userId(), r.itemId(), r.rating(), clock.stamp(r.userId(), r.timestamp()));
        if (e.timestamp > System.currentTimeMillis()) {
            // the job would dead-letter it and the user would wait for nothing: the user's simulation ends here
            if (reachedPresent++ == 0)
                LOG.warn(
                        "simulated time reached the present ({}): users stop there (the job dead-letters ratings"
                                + " from the future); bound the run with --steps",
                        java.time.Instant.ofEpochMilli(e.timestamp));
            waiting.remove(e.userId);
            return;
        }
        waiting.put(e.userId, new Waiting(e.requestId(), System.nanoTime()));
        producer.send(new ProducerRecord<>(
                ratingsTopic, Integer.toString(e.userId).getBytes(StandardCharsets.UTF_8), Json.write(e)));
        sent++;
    }

    /** Users stopped because their simulated time reached the present. */
    public long reachedPresent() {
        return reachedPresent;
    }

    public long sent() {
        return sent;
    }

    public long answered() {
        return answered;
    }

    /** Users that got no slate within the patience and carried on by themselves. */
    public long retries() {
        return retries;
    }

    /** Slates read but not answered (other cohorts' policies, other users, older requests, repeats). */
    public long ignored() {
        return ignored;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(10));
    }

    /** Per cohort (or one "all" row without cohorts), a window of finished sessions → one metrics record. */
    private final class CohortMetrics {
        private final String topic;
        private final int window;
        private final Map<String, List<SessionSummary>> open = new HashMap<>();
        private final Map<String, long[]> span = new HashMap<>();

        CohortMetrics(String topic, int window) {
            this.topic = topic;
            this.window = window;
        }

        void finished(SessionSummary s, long at, int k) {
            String cohort = cohorts == null ? "all" : cohorts.of(s.userId());
            List<SessionSummary> w = open.computeIfAbsent(cohort, c -> new ArrayList<>());
            long[] t = span.computeIfAbsent(cohort, c -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            w.add(s);
            t[0] = Math.min(t[0], at);
            t[1] = Math.max(t[1], at);
            if (w.size() < window) return;
            PolicyMetrics m = new PolicyMetrics();
            m.policy = cohort;
            m.scope = PolicyMetrics.SCOPE_CLOSED_LOOP;
            m.k = k;
            m.windowStart = t[0];
            m.windowEnd = t[1];
            m.eventsSeen = sent;
            m.count = w.size();
            m.values.put(
                    "return",
                    w.stream().mapToDouble(SessionSummary::engagement).average().orElse(0));
            m.values.put(
                    "ctr", w.stream().mapToDouble(SessionSummary::ctr).average().orElse(0));
            m.values.put(
                    "satisfaction",
                    w.stream()
                            .mapToDouble(SessionSummary::satisfaction)
                            .average()
                            .orElse(0));
            m.values.put(
                    "sessionLength",
                    w.stream().mapToInt(SessionSummary::steps).average().orElse(0));
            producer.send(new ProducerRecord<>(topic, cohort.getBytes(StandardCharsets.UTF_8), Json.write(m)));
            w.clear();
            span.remove(cohort);
        }
    }
}
