package io.streamrec.job;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.emit.JsonRecordSerializer;
import io.streamrec.eval.UserSlice;
import io.streamrec.eval.flink.EvaluationTopology;
import io.streamrec.ingest.DeadLetterRouter;
import io.streamrec.ingest.DuplicateRatingFilter;
import io.streamrec.ingest.RatingParser;
import io.streamrec.ingest.RatingRecord;
import io.streamrec.ingest.RatingRecordDeserializer;
import io.streamrec.joiner.RewardJoiner;
import io.streamrec.joiner.SlateDecision;
import io.streamrec.learner.LearnerFunction;
import io.streamrec.operators.EventTimeOrder;
import io.streamrec.operators.SingleSubtask;
import io.streamrec.policy.Policies;
import io.streamrec.schema.Cohorts;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.Transition;
import io.streamrec.serving.ActorScoringFunction;
import io.streamrec.serving.ActorSettings;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.state.RequestOrder;
import io.streamrec.state.UserHistoryFunction;
import io.streamrec.weights.WeightsFollower;
import io.streamrec.weights.WeightsMessage;
import io.streamrec.weights.WeightsMessageSerializer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The streamrec dataflow: ratings → dead-letter split → keyBy(user) history state → async DJL actor → recommendations.
 * The constructor takes the sources and sinks, so {@link #main} wires Kafka and tests wire in-memory ones.
 */
public class StreamrecJob {
    private final Source<RatingRecord, ?, ?> ratings;
    private final Sink<Recommendation> recommendations;
    private final Sink<DeadLetter> deadLetters;
    private final Sink<PolicyMetrics> metrics;
    private final StreamrecConfig config;
    private final ItemCatalog catalog;
    private final Learning learning;
    private Sink<Recommendation> policySlates;

    /**
     * Where the learning loop writes and where serving reads the weights back: the transitions sink, the actor-weights
     * sink, and the actor-weights topic the serving operator follows (null: serving keeps its initial weights, e.g. in
     * tests without Kafka).
     */
    public record Learning(Sink<Transition> transitions, Sink<WeightsMessage> weights, WeightsFollower.Source follow) {}

    /** The serving spine only (no learning), whatever {@code learner.enabled} says. */
    public StreamrecJob(
            Source<RatingRecord, ?, ?> ratings,
            Sink<Recommendation> recommendations,
            Sink<DeadLetter> deadLetters,
            StreamrecConfig config,
            ItemCatalog catalog) {
        this(ratings, recommendations, deadLetters, null, config, catalog, null);
    }

    /**
     * The full job: with a metrics sink, the online evaluation ({@link EvaluationTopology}: the baseline policies and
     * the prequential evaluator) runs beside the actor when {@code eval.enabled}; with {@code learning}, the learning
     * loop runs when {@code learner.enabled}. Either may be null to leave that part out.
     */
    public StreamrecJob(
            Source<RatingRecord, ?, ?> ratings,
            Sink<Recommendation> recommendations,
            Sink<DeadLetter> deadLetters,
            Sink<PolicyMetrics> metrics,
            StreamrecConfig config,
            ItemCatalog catalog,
            Learning learning) {
        this.ratings = ratings;
        this.recommendations = recommendations;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
        this.catalog = catalog;
        this.learning = config.getBoolean(ConfigKey.LEARNER_ENABLED) ? learning : null;
    }

    /**
     * Where every policy's slate (DRR and the baselines, each tagged with its policy) goes when the evaluation runs
     * and {@code eval.publish.slates} is true; the recommendations sink keeps serving's DRR slates only. Before build.
     */
    public StreamrecJob withPolicySlates(Sink<Recommendation> sink) {
        this.policySlates = sink;
        return this;
    }

    /** Submits to a Flink cluster ({@code flink run streamrec-job.jar --bootstrap.servers ...}) or runs locally. */
    public static void main(String[] args) throws Exception {
        StreamrecConfig config = StreamrecConfig.fromArgs(args);
        ItemCatalog catalog = CatalogLoader.load(config);
        if (config.getBoolean(ConfigKey.LEARNER_ENABLED)) WeightsTopicCheck.ensure(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        StreamrecJob job = fromKafka(config, catalog);
        job.build(env);
        env.execute("streamrec");
    }

    /** The job reading and writing the configured Kafka topics (with the learning loop unless learner.enabled=false). */
    public static StreamrecJob fromKafka(StreamrecConfig config, ItemCatalog catalog) {
        return fromKafka(config, catalog, kafkaSource(config));
    }

    /** As above with another source of ratings (tests wrap the Kafka source's deserializer to inject failures). */
    static StreamrecJob fromKafka(StreamrecConfig config, ItemCatalog catalog, Source<RatingRecord, ?, ?> ratings) {
        Learning learning = new Learning(
                KafkaSinks.create(
                        config,
                        "transitions",
                        new JsonRecordSerializer<Transition>(
                                config.get(ConfigKey.TOPIC_TRANSITIONS), t -> Integer.toString(t.userId))),
                KafkaSinks.create(
                        config,
                        "actor-weights",
                        new WeightsMessageSerializer(config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS)),
                        weightsProducerProperties(config)),
                new WeightsFollower.Source(
                        config.get(ConfigKey.BOOTSTRAP_SERVERS),
                        config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS),
                        config.kafkaProperties()));
        StreamrecJob job = new StreamrecJob(
                ratings,
                KafkaSinks.create(
                        config,
                        "recommendations",
                        new JsonRecordSerializer<Recommendation>(
                                config.get(ConfigKey.TOPIC_RECOMMENDATIONS), r -> Integer.toString(r.userId))),
                KafkaSinks.create(
                        config,
                        "dlq",
                        new JsonRecordSerializer<DeadLetter>(config.get(ConfigKey.TOPIC_DLQ), d -> null),
                        deadLetterProducerProperties(config)),
                KafkaSinks.create(
                        config,
                        "metrics",
                        new JsonRecordSerializer<PolicyMetrics>(config.get(ConfigKey.TOPIC_METRICS), m -> m.policy)),
                config,
                catalog,
                learning);
        if (config.getBoolean(ConfigKey.EVAL_PUBLISH_SLATES)) {
            job.withPolicySlates(KafkaSinks.create(
                    config,
                    "policy-slates",
                    new JsonRecordSerializer<Recommendation>(
                            config.get(ConfigKey.TOPIC_POLICY_SLATES), r -> Integer.toString(r.userId))));
        }
        return job;
    }

    /**
     * A full snapshot is megabytes (d=100, thousands of items; 35 MB at ML-25M's 62,423): raise the producer's
     * request limit for that sink, and its buffer with it — a record larger than {@code buffer.memory} (32 MiB by
     * default) fails however large the request limit is. The buffer is a ceiling, pooled as records need it.
     */
    static java.util.Properties weightsProducerProperties(StreamrecConfig config) {
        java.util.Properties p = new java.util.Properties();
        long max = Long.parseLong(config.get(ConfigKey.PUBLISH_MAX_BYTES));
        p.setProperty("max.request.size", Long.toString(max));
        p.setProperty("buffer.memory", Long.toString(Math.max(32L << 20, 2 * max)));
        return p;
    }

    /** A dead letter may carry ~1 MB of original bytes (base64): the producer's request limit must allow it. */
    static java.util.Properties deadLetterProducerProperties(StreamrecConfig config) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(
                "max.request.size",
                Integer.toString(RatingParser.deadLetterRecordBytes(config.getInt(ConfigKey.DLQ_MAX_PAYLOAD_BYTES))));
        return p;
    }

    /** The ratings source with the configured dead-letter payload limit. */
    static KafkaSource<RatingRecord> kafkaSource(StreamrecConfig config) {
        return kafkaSource(config, new RatingRecordDeserializer(config.getInt(ConfigKey.DLQ_MAX_PAYLOAD_BYTES)));
    }

    static KafkaSource<RatingRecord> kafkaSource(
            StreamrecConfig config, KafkaRecordDeserializationSchema<RatingRecord> deserializer) {
        OffsetsInitializer start =
                switch (config.get(ConfigKey.STARTING_OFFSETS)) {
                    case "latest" -> OffsetsInitializer.latest();
                    case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    default -> OffsetsInitializer.earliest();
                };
        var props = config.kafkaProperties();
        props.setProperty("isolation.level", "read_committed");
        var builder = KafkaSource.<RatingRecord>builder()
                .setBootstrapServers(config.get(ConfigKey.BOOTSTRAP_SERVERS))
                .setTopics(config.get(ConfigKey.TOPIC_RATINGS))
                .setGroupId(config.get(ConfigKey.GROUP_ID))
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .setProperties(props);
        // A deterministic replay reads what the topic holds when the job starts and ends there: its final watermark
        // releases every buffered record, so the run ends with the same table every time.
        if (config.getBoolean(ConfigKey.REPLAY_DETERMINISTIC)) builder.setBounded(OffsetsInitializer.latest());
        return builder.build();
    }

    /** Flink settings that come from streamrec's configuration: state backend and checkpointing. */
    public static Configuration flinkConfiguration(StreamrecConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, config.get(ConfigKey.STATE_BACKEND));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(ConfigKey.CHECKPOINT_DIR));
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Timers on the heap, keyed state in RocksDB: every rating and slate decision registers an event-time timer
        // (the joiner's and the history's), and RocksDB's timer queue (a write batch and a cached ordered set per
        // registration) was a visible part of the soak's profile. A user holds a few timers at a time, so the heap
        // queue stays small (6,040 users: tens of thousands of timers); they are checkpointed with the keyed state.
        conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        // Flink 2.2's CompressibleFSDataInputStream overrides only read(), so an uncompressed operator-state restore
        // reads its file one byte per system call (~1 MB/s): the learner (~70 MB with a full replay buffer), the
        // global policies and the evaluator took 30 s to minutes to restore. Compressed, the decompressor buffers.
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, config.getBoolean(ConfigKey.CHECKPOINT_COMPRESSION));
        // A deterministic replay keeps its order buffers and DRR's loop on the heap, outside any checkpoint: it runs
        // without checkpoints, and a failure restarts it from the beginning (the same result again).
        if (!config.getBoolean(ConfigKey.REPLAY_DETERMINISTIC)) {
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    Duration.ofMillis(config.getLong(ConfigKey.CHECKPOINT_INTERVAL_MS)));
        }
        // Chained operators hand records over without a serializer copy (the profile showed PojoSerializer.copy of
        // every slate and rating). Safe while every function emits new objects and never mutates its inputs (keep
        // it so: a function that must change an input copies it first).
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    /**
     * Adds the dataflow to {@code env}; returns the recommendation stream (before its sink) for composition. One
     * method per arrow of the dataflow diagram in docs/architecture.md.
     */
    public DataStream<Recommendation> build(StreamExecutionEnvironment env) {
        env.setParallelism(config.getInt(ConfigKey.PARALLELISM));
        // Fixed, not derived from the parallelism: a savepoint resumes at another parallelism only with the same key
        // groups.
        env.setMaxParallelism(config.getInt(ConfigKey.MAX_PARALLELISM));
        ActorSettings actor = StageSettings.actor(config);
        if (config.getBoolean(ConfigKey.LOOP_COHORTS)
                && (!config.getBoolean(ConfigKey.EVAL_PUBLISH_SLATES) || config.getDouble(ConfigKey.EVAL_SAMPLE) < 1)) {
            throw new IllegalArgumentException("loop.cohorts needs eval.publish.slates=true and eval.sample=1: every"
                    + " user reads its cohort's slates on " + config.get(ConfigKey.TOPIC_POLICY_SLATES));
        }

        boolean deterministic = config.getBoolean(ConfigKey.REPLAY_DETERMINISTIC);
        if (deterministic && config.get(ConfigKey.DELIVERY).equals("exactly-once")) {
            throw new IllegalArgumentException(
                    "replay.deterministic runs without checkpoints, so it cannot commit"
                            + " exactly-once transactions: use delivery.guarantee=at-least-once (or replay.deterministic=false)");
        }
        if (deterministic && config.getBoolean(ConfigKey.LOOP_COHORTS)) {
            throw new IllegalArgumentException(
                    "a closed loop reacts to the slates as they come: it needs replay.deterministic=false");
        }

        KeyedStream<RatingEvent, Integer> events = ingest(env);
        DataStream<RecommendationRequest> requests = userHistory(events);
        DataStream<Recommendation> recs = deterministic ? replayDrr(requests) : serve(requests, actor);
        if (metrics != null && config.getBoolean(ConfigKey.EVAL_ENABLED)) evaluate(requests, recs);
        recs.sinkTo(recommendations).name("recommendations").uid("recommendations-sink");
        if (learning != null && !deterministic) learn(rewardJoiner(events, recs), actor);
        return recs;
    }

    /**
     * Deterministic replay: requests in event-time order → DrrReplayOperator (serving, reward joining and learning of
     * one loop, one subtask); its publications go to actor-weights as the live learner's do.
     */
    private DataStream<Recommendation> replayDrr(DataStream<RecommendationRequest> requests) {
        DataStream<RecommendationRequest> ordered =
                SingleSubtask.pin(EventTimeOrder.apply(requests, "drr-request-order", RequestOrder.INSTANCE));
        SingleOutputStreamOperator<Recommendation> recs = SingleSubtask.pin(ordered.transform(
                        "drr-replay", TypeInformation.of(Recommendation.class), new DrrReplayOperator(config, catalog))
                .uid("drr-replay"));
        if (learning != null) {
            recs.getSideOutput(DrrReplayOperator.WEIGHTS)
                    .sinkTo(learning.weights())
                    .name("actor-weights")
                    .uid("actor-weights-sink")
                    .setParallelism(1);
        }
        return recs;
    }

    /** ratings → DeadLetterRouter → DuplicateRatingFilter (→ ratings-dlq): valid, unique events, keyed by user. */
    private KeyedStream<RatingEvent, Integer> ingest(StreamExecutionEnvironment env) {
        WatermarkStrategy<RatingRecord> watermarks = WatermarkStrategy.<RatingRecord>forBoundedOutOfOrderness(
                        Duration.ofMillis(config.getLong(ConfigKey.OUT_OF_ORDERNESS_MS)))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.event.timestamp : kafkaTs);
        long idleness = config.getLong(ConfigKey.IDLENESS_MS);
        if (idleness > 0) watermarks = watermarks.withIdleness(Duration.ofMillis(idleness));

        SingleOutputStreamOperator<RatingRecord> parsed = env.fromSource(ratings, watermarks, "ratings")
                .uid("ratings-source")
                .process(new DeadLetterRouter())
                .name("dead-letter-router")
                .uid("dead-letter-router")
                // Flink flushes a partly filled network buffer only every 100 ms by default: on this, the serving
                // path's one exchange, that made p50 ≈ 70 ms at 2,000 events/s. Only here: flushing every exchange
                // every few ms kept the output flushers at a tenth of a core (thread CPU of ./bench pipeline).
                .setBufferTimeout(config.getLong(ConfigKey.BUFFER_TIMEOUT_MS));
        SingleOutputStreamOperator<RatingEvent> unique = parsed.keyBy(r -> r.event.userId)
                .process(new DuplicateRatingFilter(
                        config.getInt(ConfigKey.DLQ_MAX_PAYLOAD_BYTES), config.getLong(ConfigKey.DEDUP_TTL_MS)))
                .name("duplicate-filter")
                .uid("duplicate-filter");
        parsed.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(unique.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                .sinkTo(deadLetters)
                .name("ratings-dlq")
                .uid("ratings-dlq-sink");
        // The filter's output is still partitioned by user: reading it as keyed saves a second network exchange.
        return DataStreamUtils.reinterpretAsKeyedStream(unique, e -> e.userId, Types.INT);
    }

    /** → UserHistoryFunction: each event becomes a request carrying the user's positive-history window. */
    private DataStream<RecommendationRequest> userHistory(KeyedStream<RatingEvent, Integer> events) {
        return events.process(new UserHistoryFunction(
                        config.getInt(ConfigKey.WINDOW_SIZE), config.getDouble(ConfigKey.POSITIVE_THRESHOLD)))
                .name("user-history")
                .uid("user-history");
    }

    /** → ActorScoringFunction (async DJL actor, following actor-weights when learning): the DRR slates. */
    private DataStream<Recommendation> serve(DataStream<RecommendationRequest> requests, ActorSettings settings) {
        ActorScoringFunction actor = new ActorScoringFunction(settings, catalog);
        if (learning != null) {
            actor.withExploration(StageSettings.explorer(config));
            // The greedy shadow slate is only judged: select it for the evaluation's users only.
            UserSlice judged = StageSettings.evaluationSlice(config);
            actor.withGreedySlatesFor(judged::contains);
            if (learning.follow() != null) actor.followingWeights(learning.follow());
        }
        return AsyncDataStream.unorderedWait(
                        requests,
                        actor,
                        config.getLong(ConfigKey.ASYNC_TIMEOUT_MS),
                        TimeUnit.MILLISECONDS,
                        config.getInt(ConfigKey.ASYNC_CAPACITY))
                .name("drr-actor")
                .uid("drr-actor");
    }

    /** → EvaluationTopology: the baseline policies and the prequential evaluator (→ metrics, policy-slates). */
    private void evaluate(DataStream<RecommendationRequest> requests, DataStream<Recommendation> recs) {
        EvaluationTopology.Streams eval = EvaluationTopology.attach(
                requests,
                recs,
                config.getBoolean(ConfigKey.REPLAY_DETERMINISTIC),
                StageSettings.policies(config),
                StageSettings.evaluation(config),
                StageSettings.evaluationSlice(config),
                catalog);
        eval.metrics().sinkTo(metrics).name("metrics").uid("metrics-sink");
        if (config.getBoolean(ConfigKey.EVAL_PUBLISH_SLATES) && policySlates != null) {
            DataStream<Recommendation> every = eval.baselineSlates() == null ? recs : recs.union(eval.baselineSlates());
            every.sinkTo(policySlates).name("policy-slates").uid("policy-slates-sink");
        }
    }

    /** ratings + slates → RewardJoiner (→ transitions): reward transitions, keyed by user. */
    private DataStream<Transition> rewardJoiner(
            KeyedStream<RatingEvent, Integer> events, DataStream<Recommendation> recs) {
        // s_t and a_t travel on internal fields of the slate (never serialised to the recommendations topic).
        DataStream<SlateDecision> decisions =
                recs.map(new ToDecision()).name("slate-decisions").uid("slate-decisions");
        if (config.getBoolean(ConfigKey.LOOP_COHORTS)) {
            // In a closed-loop A/B test the other cohorts never see DRR's slates: their users' later ratings say
            // nothing about those slates, so only DRR's own cohort makes transitions.
            Cohorts cohorts = StageSettings.cohorts(config);
            decisions = decisions
                    .filter(d -> Policies.DRR.equals(cohorts.of(d.userId)))
                    .name("drr-cohort")
                    .uid("drr-cohort");
        }
        DataStream<Transition> transitions = events.connect(decisions.keyBy(d -> d.userId))
                .process(new RewardJoiner(
                        config.getInt(ConfigKey.REWARD_HORIZON),
                        (float) config.getDouble(ConfigKey.REWARD_UNRATED),
                        config.getLong(ConfigKey.SESSION_GAP_MS),
                        (float) config.getDouble(ConfigKey.POSITIVE_THRESHOLD)))
                .name("reward-joiner")
                .uid("reward-joiner");
        transitions.sinkTo(learning.transitions()).name("transitions").uid("transitions-sink");
        return transitions;
    }

    /** transitions → LearnerFunction (one subtask) → actor-weights, which serving follows. */
    private void learn(DataStream<Transition> transitions, ActorSettings actor) {
        LearnerFunction learner = new LearnerFunction(
                StageSettings.learner(config),
                actor,
                catalog,
                config.getLong(ConfigKey.PUBLISH_INTERVAL_MS),
                config.getInt(ConfigKey.PUBLISH_EVERY_STEPS),
                config.getInt(ConfigKey.PUBLISH_FULL_EVERY),
                config.getDouble(ConfigKey.LEARNER_TRAIN_BUDGET));
        if (learning.follow() != null) learner.resumingFrom(learning.follow());
        SingleOutputStreamOperator<WeightsMessage> weights = SingleSubtask.pin(
                transitions.process(learner).name("drr-learner").uid("drr-learner"));
        weights.sinkTo(learning.weights())
                .name("actor-weights")
                .uid("actor-weights-sink")
                .setParallelism(1);
    }

    /** The joiner's view of a slate: s_t, a_t, the slate and the version that produced it. */
    static final class ToDecision implements MapFunction<Recommendation, SlateDecision> {
        private static final long serialVersionUID = 1L;

        @Override
        public SlateDecision map(Recommendation r) {
            int[] slate = new int[r.items.size()];
            for (int j = 0; j < slate.length; j++) slate[j] = r.items.get(j).itemId;
            return new SlateDecision(
                    r.requestId, r.userId, r.policy, r.modelVersion, r.eventTime, r.stateWindow, r.action, slate);
        }
    }

    /** Runs the job without blocking; the embedded default and the tests use this. */
    public JobClient executeAsync(StreamExecutionEnvironment env, String name) throws Exception {
        build(env);
        return env.executeAsync(name);
    }
}
