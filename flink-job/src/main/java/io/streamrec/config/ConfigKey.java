package io.streamrec.config;

import io.streamrec.schema.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key of the job and the embedded default, each declared once: its name, its one default, how its
 * value is checked and what it means (docs/configuration.md is generated from these, {@link StreamrecConfig#configurationPage()}).
 */
public enum ConfigKey {
    BOOTSTRAP_SERVERS("bootstrap.servers", "localhost:9092", ValueType.STRING, "Kafka bootstrap servers"),
    TOPIC_RATINGS("topic.ratings", Topics.RATINGS, ValueType.STRING, "Input topic of rating events"),
    TOPIC_RECOMMENDATIONS(
            "topic.recommendations", Topics.RECOMMENDATIONS, ValueType.STRING, "Output topic of top-k slates"),
    TOPIC_DLQ("topic.dlq", Topics.RATINGS_DLQ, ValueType.STRING, "Dead-letter topic for unusable rating records"),
    DLQ_MAX_PAYLOAD_BYTES(
            "dlq.max.payload.bytes",
            "1048576",
            ValueType.POSITIVE_INT,
            "Original bytes kept in a dead letter; a longer record is kept truncated (truncated=true, originalSize = its length). The DLQ producer's max.request.size follows (base64 + 16 KiB); the DLQ topic's max.message.bytes must allow it (2 MiB for the default)"),
    DEDUP_TTL_MS(
            "dedup.ttl.ms",
            "0",
            ValueType.NON_NEGATIVE_LONG,
            "Forget a user's (item, timestamp) used to detect duplicate ratings after this long without access (0 = keep; one entry per rated item)"),
    GROUP_ID("group.id", "streamrec", ValueType.STRING, "Kafka consumer group of the job"),
    STARTING_OFFSETS(
            "starting.offsets",
            "earliest",
            ValueType.oneOf("earliest", "latest", "committed"),
            "Where the job starts reading when it has no checkpoint"),
    K("k", "10", ValueType.POSITIVE_INT, "Length of each recommended slate"),
    WINDOW_SIZE("window.size", "5", ValueType.POSITIVE_INT, "N: positive items kept in each user's history window"),
    POSITIVE_THRESHOLD("positive.threshold", "4.0", ValueType.DOUBLE, "A rating at or above this counts as positive"),
    PARALLELISM("parallelism", "2", ValueType.POSITIVE_INT, "Parallelism of every operator"),
    MAX_PARALLELISM(
            "max.parallelism",
            "128",
            ValueType.POSITIVE_INT,
            "Key groups of the keyed state: the highest parallelism a checkpoint or savepoint can be resumed with; keep it fixed for the life of the job's state"),
    BUFFER_TIMEOUT_MS(
            "network.buffer.timeout.ms",
            "5",
            ValueType.NON_NEGATIVE_LONG,
            "Longest wait of a rating in a network buffer on the serving path (ratings → the user-keyed history; Flink's default of 100 ms dominated the latency). Every other exchange (evaluation, reward joiner, learner) keeps Flink's execution.buffer-timeout (100 ms): flushing them every few ms cost a tenth of a core"),
    CHECKPOINT_INTERVAL_MS("checkpoint.interval.ms", "10000", ValueType.POSITIVE_LONG, "Checkpoint interval"),
    CHECKPOINT_DIR("checkpoint.dir", "file:///tmp/streamrec/checkpoints", ValueType.STRING, "Checkpoint storage URI"),
    CHECKPOINT_COMPRESSION(
            "checkpoint.compression",
            "true",
            ValueType.BOOLEAN,
            "Snappy-compress operator and heap-keyed snapshots (Flink's execution.checkpointing.snapshot-compression). Also what keeps restores fast: Flink 2.2 reads uncompressed operator state from the file one byte per call, so the learner's ~70 MB snapshot took minutes to restore (./bench recovery)"),
    STATE_BACKEND("state.backend", "rocksdb", ValueType.oneOf("rocksdb", "hashmap"), "Keyed-state backend"),
    DELIVERY(
            "delivery.guarantee",
            "at-least-once",
            ValueType.oneOf("at-least-once", "exactly-once"),
            "Kafka sink guarantee"),
    TRANSACTIONAL_ID_PREFIX(
            "transactional.id.prefix",
            "streamrec",
            ValueType.STRING,
            "Prefix of Kafka transactional ids (exactly-once)"),
    TRANSACTION_TIMEOUT_MS(
            "transaction.timeout.ms",
            "600000",
            ValueType.POSITIVE_LONG,
            "Kafka transaction timeout; must be below the broker's transaction.max.timeout.ms"),
    OUT_OF_ORDERNESS_MS(
            "watermark.out-of-orderness.ms",
            "5000",
            ValueType.NON_NEGATIVE_LONG,
            "Bounded out-of-orderness of event-time watermarks"),
    IDLENESS_MS(
            "source.idleness.ms",
            "30000",
            ValueType.NON_NEGATIVE_LONG,
            "A partition without events for this long stops holding back watermarks (0 = off)"),
    CATALOG_METADATA(
            "catalog.metadata",
            null,
            ValueType.STRING,
            "Movie metadata file (u.item, movies.dat or movies.csv): the candidate items, with titles and genres"),
    CATALOG_ITEMS("catalog.items", "0", ValueType.NON_NEGATIVE_INT, "Without metadata: candidate items are ids 1..n"),
    EMBEDDING_DIM("actor.embedding.dim", "100", ValueType.POSITIVE_INT, "User/item embedding size (DRR paper: 100)"),
    HIDDEN_DIM("actor.hidden.dim", "256", ValueType.POSITIVE_INT, "Width of the actor's hidden layers"),
    ACTOR_SEED("actor.seed", "42", ValueType.LONG, "Seed of the initial actor weights"),
    ACTOR_WEIGHTS_FILE(
            "actor.weights.file",
            null,
            ValueType.STRING,
            "Start from this actor-weights JSON file instead of a seeded initialisation"),
    STATE_REPRESENTATION(
            "actor.state.representation",
            "ave-res",
            ValueType.oneOf("ave", "ave-res", "p", "u"),
            "DRR state representation: ave (DRR-ave, [u, u⊙avg, avg]), ave-res (DRR-ave with the pooled window added to the action: a = tanh(MLP(s)) + avg), p (DRR-p, item-item products) or u (DRR-u, user-item and item-item products)"),
    ENGINE_THREADS(
            "actor.engine.threads",
            "1",
            ValueType.NON_NEGATIVE_INT,
            "PyTorch intra-op threads per JVM (0 = PyTorch's default); 1 avoids oversubscribing cores shared by subtasks"),
    BATCH_SIZE("actor.batch.size", "64", ValueType.POSITIVE_INT, "Largest micro-batch of requests per actor call"),
    BATCH_WAIT_MS("actor.batch.wait.ms", "2", ValueType.NON_NEGATIVE_LONG, "Longest wait for a micro-batch to fill"),
    ACTOR_CANDIDATES(
            "actor.candidates",
            "0",
            ValueType.NON_NEGATIVE_INT,
            "Two-stage serving: items the item index (HNSW) retrieves per request for the actor to re-rank; 0 = the actor scores the whole catalogue"),
    ACTOR_INDEX_BEAM(
            "actor.index.beam",
            "400",
            ValueType.POSITIVE_INT,
            "Two-stage serving: search beam of the item index (HNSW efSearch); wider finds more of the exact top and costs more"),
    ACTOR_INDEX_M(
            "actor.index.m", "32", ValueType.POSITIVE_INT, "Two-stage serving: links per item in the HNSW graph (M)"),
    ACTOR_INDEX_EF_CONSTRUCTION(
            "actor.index.ef.construction",
            "200",
            ValueType.POSITIVE_INT,
            "Two-stage serving: candidates kept while linking an item into the HNSW graph (efConstruction)"),
    ACTOR_INDEX_REBUILD_VERSIONS(
            "actor.index.rebuild.versions",
            "1",
            ValueType.POSITIVE_INT,
            "Two-stage serving: rebuild the item index once the served weights are this many versions newer; in between, the older graph retrieves and the new embeddings re-rank"),
    ASYNC_CAPACITY("async.capacity", "512", ValueType.POSITIVE_INT, "In-flight requests per async actor subtask"),
    ASYNC_TIMEOUT_MS("async.timeout.ms", "60000", ValueType.POSITIVE_LONG, "Timeout of one actor request"),
    POLICIES(
            "policies",
            "random,popularity,itemknn,sr,vsknn,mf,linucb,genreq,drr",
            ValueType.STRING,
            "Policies evaluated side by side on the same stream (comma-separated; see Evaluation)"),
    TOPIC_METRICS("topic.metrics", Topics.METRICS, ValueType.STRING, "Output topic of the online evaluation metrics"),
    EVAL_ENABLED(
            "eval.enabled",
            "true",
            ValueType.oneOf("true", "false"),
            "Run the baseline policies and the prequential evaluator beside the DRR actor"),
    EVAL_HORIZON(
            "eval.horizon",
            "10",
            ValueType.POSITIVE_INT,
            "Each slate is judged against the user's next this-many ratings"),
    EVAL_SAMPLE(
            "eval.sample",
            "0.1",
            ValueType.FRACTION,
            "Fraction of users (by a hash of the user id) whose slates every policy scores and the evaluator judges; every policy still learns from every event, and serving answers every event (1 = every user; ./streamrec demo defaults to 1)"),
    EVAL_WINDOW_EVENTS(
            "eval.window.events",
            "10000",
            ValueType.NON_NEGATIVE_LONG,
            "Windowed metrics every this-many rating events (0 = off)"),
    EVAL_WINDOW_DAYS(
            "eval.window.days",
            "1",
            ValueType.NON_NEGATIVE_INT,
            "Windowed metrics every this-many days of event (replay) time (0 = off)"),
    EVAL_PUBLISH_SLATES(
            "eval.publish.slates",
            "false",
            ValueType.oneOf("true", "false"),
            "Also write every policy's slate (DRR and the baselines, tagged with their policy) to topic.policy.slates"),
    LOOP_COHORTS(
            "loop.cohorts",
            "false",
            ValueType.BOOLEAN,
            "Closed-loop A/B test (./streamrec demo --closed-loop, ./streamrec simulate --cohorts): each user is shown only the slates of one policy of 'policies' (by a hash of the user id, schema.Cohorts), so DRR's learner learns only from its own cohort's reactions; needs eval.publish.slates, where the users read their cohort's slates"),
    TOPIC_POLICY_SLATES(
            "topic.policy.slates",
            Topics.POLICY_SLATES,
            ValueType.STRING,
            "Output topic of every policy's slates (key userId, value a recommendation with its policy) when eval.publish.slates"),
    REPORT_DIR(
            "report.dir",
            "target/streamrec-report",
            ValueType.STRING,
            "Folder of the run report (config, metrics CSV/JSON, PNG plots, index.html)"),
    POLICY_SEED("policy.seed", "7", ValueType.LONG, "Seed of the baseline policies' randomness"),
    POPULARITY_HALF_LIFE_DAYS(
            "popularity.half-life.days",
            "30",
            ValueType.DOUBLE,
            "Half-life of the popularity policy's time-decayed counts, in event-time days (0 = no decay)"),
    MF_FACTORS("mf.factors", "16", ValueType.POSITIVE_INT, "Latent factors of the incremental MF (online BPR) policy"),
    MF_LEARNING_RATE("mf.learning-rate", "0.05", ValueType.DOUBLE, "SGD step of the incremental MF policy"),
    MF_REGULARISATION("mf.regularisation", "0.01", ValueType.DOUBLE, "L2 regularisation of the incremental MF policy"),
    MF_NEGATIVES("mf.negatives", "4", ValueType.POSITIVE_INT, "Sampled unrated items per positive rating (BPR pairs)"),
    LINUCB_ALPHA("linucb.alpha", "0.2", ValueType.DOUBLE, "Exploration weight of LinUCB's upper confidence bound"),
    GENREQ_EPSILON("genreq.epsilon", "0.1", ValueType.DOUBLE, "ε of the genre Q-learning policy's ε-greedy slates"),
    GENREQ_ALPHA("genreq.alpha", "0.1", ValueType.DOUBLE, "Learning rate of the genre Q-tables"),
    GENREQ_GAMMA("genreq.gamma", "0.5", ValueType.DOUBLE, "Discount of the genre Q-tables"),
    SLATEQ_RETURNS(
            "slateq.returns",
            "td",
            ValueType.oneOf("td", "session"),
            "What SlateQ's item values learn: td (one-step TD with γ 0.5 on each consumed item, the paper's SARSA-style update) or session (the Monte-Carlo return of the rest of the user's session after each consumed item, learned when the session ends (a gap of session.gap.ms); a video's value is its own mean, shrunk to its genres' means, and slates rank by choice weight × (reward + value − the mean value): long-term value the hidden state does not show step by step)"),
    LEARNER_ENABLED(
            "learner.enabled",
            "true",
            ValueType.BOOLEAN,
            "Online learning: reward joiner, learner and weights published back to serving (false = serve the initial weights only)"),
    TOPIC_TRANSITIONS(
            "topic.transitions",
            Topics.TRANSITIONS,
            ValueType.STRING,
            "Topic of reward transitions (s, a, r, s', done)"),
    TOPIC_ACTOR_WEIGHTS(
            "topic.actor.weights",
            Topics.ACTOR_WEIGHTS,
            ValueType.STRING,
            "Compacted topic of versioned actor snapshots; serving follows it"),
    REWARD_HORIZON(
            "reward.horizon",
            "10",
            ValueType.POSITIVE_INT,
            "H: a slate earns reward from the user's next H rating events"),
    REWARD_UNRATED(
            "reward.unrated",
            "0.0",
            ValueType.DOUBLE,
            "Reward of each slate item the user does not rate within the horizon"),
    SESSION_GAP_MS(
            "session.gap.ms",
            "1800000",
            ValueType.POSITIVE_LONG,
            "Event-time gap that ends a user's session: its open transitions complete, truncated (done = false: the learner bootstraps from the next state)"),
    LEARNER_GAMMA("learner.gamma", "0.9", ValueType.DOUBLE, "Discount factor gamma"),
    LEARNER_TAU("learner.tau", "0.01", ValueType.DOUBLE, "Soft target-network update rate tau"),
    LEARNER_ACTOR_LR("learner.actor.lr", "0.0001", ValueType.DOUBLE, "Adam learning rate of the actor"),
    LEARNER_CRITIC_LR("learner.critic.lr", "0.001", ValueType.DOUBLE, "Adam learning rate of the critic"),
    LEARNER_EMBEDDING_LR(
            "learner.embedding.lr",
            "0.001",
            ValueType.DOUBLE,
            "Adam learning rate of user/item embedding rows and pooling weights"),
    LEARNER_CRITIC_HIDDEN_DIM(
            "learner.critic.hidden.dim", "256", ValueType.POSITIVE_INT, "Width of the critic's hidden layers"),
    LEARNER_BATCH_SIZE("learner.batch.size", "64", ValueType.POSITIVE_INT, "B: transitions per training batch"),
    LEARNER_REPLAY_RATIO(
            "learner.replay.ratio",
            "2",
            ValueType.DOUBLE,
            "Replay ratio: samples trained per new transition (a step of B samples each time the ratio times the transitions reaches another B)"),
    REPLAY_DETERMINISTIC(
            "replay.deterministic",
            "false",
            ValueType.BOOLEAN,
            "Deterministic replay: the ratings source ends at the topic's end offsets, every order-sensitive operator (the global policies, the genre Q-tables, the evaluator) sees its input in event-time order, and DRR's serving, reward joining and learning run as one loop in one subtask (a version serves from the next chunk of 256 requests after its publication), without checkpoints (a failure restarts the replay): the same replay gives the same table, digit for digit, at any parallelism and machine load, equal to ./streamrec evaluate's. At-least-once only; the default of ./streamrec demo (not with --closed-loop). false: live serving, async and following the weights topic"),
    LEARNER_PACING(
            "learner.pacing",
            "live",
            ValueType.oneOf("sync", "live"),
            "sync: the learner keeps the replay ratio exactly and backpressures its input when behind, so a replay's result does not depend on machine speed (the demo with --ratings, evaluate, the learning tests); live: it trains within learner.train.budget and drops (counts) the due steps beyond it"),
    LEARNER_TRAIN_BUDGET(
            "learner.train.budget",
            "0.5",
            ValueType.DOUBLE,
            "live pacing: fraction of wall-clock time the learner may spend training; due steps beyond it are dropped (counted) so learning never backpressures serving; 1 = no limit"),
    LEARNER_BUFFER_CAPACITY(
            "learner.buffer.capacity", "100000", ValueType.POSITIVE_INT, "Prioritized replay buffer capacity"),
    LEARNER_PER_ALPHA("learner.per.alpha", "0.6", ValueType.DOUBLE, "PER priority exponent alpha"),
    LEARNER_PER_BETA0(
            "learner.per.beta0",
            "0.4",
            ValueType.DOUBLE,
            "PER importance-sampling exponent at the start (annealed to 1)"),
    LEARNER_PER_BETA_STEPS(
            "learner.per.beta.steps", "100000", ValueType.POSITIVE_LONG, "Training steps over which beta reaches 1"),
    LEARNER_AUX_WEIGHT(
            "learner.aux.weight",
            "1.0",
            ValueType.DOUBLE,
            "Weight of the supervised item-level term (the user's next positive items score high under a·e); 0 = pure actor-critic"),
    LEARNER_AUX_LOSS(
            "learner.aux.loss",
            "softmax",
            ValueType.oneOf("softmax", "logistic"),
            "The supervised term: softmax over the catalogue of each next positive item (the user's window excluded from the negatives), or the logistic loss against random items"),
    LEARNER_AUX_TARGETS(
            "learner.aux.targets",
            "horizon",
            ValueType.oneOf("horizon", "slate-hits"),
            "The items the supervised term pulls up: every positive of the reward horizon (horizon), or only those the served slate contained (slate-hits: learning from the consequences of its own slates alone, REINFORCE with a reward of 1 per positive item and no baseline)"),
    LEARNER_AUX_NEGATIVES(
            "learner.aux.negatives",
            "0",
            ValueType.NON_NEGATIVE_INT,
            "softmax: uniformly sampled negatives per batch (0 = the whole catalogue); logistic: random negatives per positive"),
    LEARNER_AUX_DISCOUNT(
            "learner.aux.discount",
            "1.0",
            ValueType.DOUBLE,
            "Weight of the j-th next positive item in the supervised term: discount^j (1 = every item of the horizon alike)"),
    LEARNER_AUX_POSITIVES(
            "learner.aux.positives",
            "0",
            ValueType.NON_NEGATIVE_INT,
            "The supervised term uses only the user's first this-many next positive items of the reward horizon (0 = all; 1 = next-item prediction)"),
    LEARNER_Q_WEIGHT(
            "learner.actor.q.weight",
            "0",
            ValueType.DOUBLE,
            "alpha of the actor's Q term, normalised as in TD3+BC: -alpha*mean(w*Q)/mean|Q| beside the supervised term (0 = supervised only; negative = the raw -mean(w*Q) of DDPG/DRR)"),
    LEARNER_CRITIC_TRAINS_STATE(
            "learner.critic.trains.state",
            "true",
            ValueType.BOOLEAN,
            "The critic loss also trains the state representation (pooling weights, user and item rows), as in DRR"),
    LEARNER_CRITIC_INPUT(
            "learner.critic.input",
            "action",
            ValueType.oneOf("action", "item"),
            "What the critic scores: the actor's action vector as DRR does (action: Q(s, a), the served slate unseen), or each item of the served slate (item: Q(s, e_i) with a reward of 1 per slate item the user rated positively within the horizon; the actor maximises the critic's value of its softmax over the row's candidate items, and the target is that value at the next state)"),
    LEARNER_CRITIC_FEEDBACK(
            "learner.critic.feedback",
            "slate",
            ValueType.oneOf("slate", "full"),
            "learner.critic.input item: what the critic learns from: the served slate's outcomes only (slate: bandit feedback, what a live system observes), or also the horizon's other positives and as many uniformly sampled items (full: a replay knows every item's outcome, as the DRR paper's offline simulator does)"),
    LEARNER_CRITIC_MATCH(
            "learner.critic.match",
            "false",
            ValueType.BOOLEAN,
            "The critic adds a bilinear term (M s)·a to its MLP over [s; a]: the user-item dot product an MLP models poorly"),
    LEARNER_CRITIC_CANDIDATES(
            "learner.critic.candidates",
            "32",
            ValueType.POSITIVE_INT,
            "learner.critic.input item: the candidate items per row over which the actor's softmax policy is scored (the served slate first, then items drawn from the batch's windows: in proportion to their popularity)"),
    LEARNER_TD3_TWIN(
            "learner.td3.twin",
            "true",
            ValueType.BOOLEAN,
            "TD3 clipped double-Q: two critics, targets from the smaller"),
    LEARNER_TD3_TARGET_NOISE(
            "learner.td3.target.noise",
            "0.1",
            ValueType.DOUBLE,
            "TD3 target policy smoothing: sigma of the noise on the target action (clipped at 2 sigma; 0 = off)"),
    LEARNER_TD3_POLICY_DELAY(
            "learner.td3.policy.delay",
            "2",
            ValueType.POSITIVE_INT,
            "TD3 delayed policy updates: the actor's Q term every this-many steps"),
    LEARNER_Q_BOUNDED(
            "learner.q.bounded",
            "true",
            ValueType.BOOLEAN,
            "Clip Q targets to [min r, max r] / (1 - gamma) of the rewards observed"),
    LEARNER_SEED(
            "learner.seed", "42", ValueType.LONG, "Seed of the critic initialisation, replay sampling and exploration"),
    PUBLISH_INTERVAL_MS(
            "publish.interval.ms",
            "10000",
            ValueType.POSITIVE_LONG,
            "T: publish the actor at most this long after a training step"),
    PUBLISH_EVERY_STEPS(
            "publish.every.steps", "50", ValueType.POSITIVE_INT, "S: publish the actor after this many training steps"),
    PUBLISH_MAX_BYTES(
            "publish.max.bytes",
            "67108864",
            ValueType.POSITIVE_INT,
            "Largest actor-weights record (producer max.request.size); the topic's max.message.bytes must allow it"),
    PUBLISH_FULL_EVERY(
            "publish.full.every",
            "10",
            ValueType.POSITIVE_INT,
            "Every n-th publication is a full snapshot, the others are deltas"),
    EXPLORE_ACTION_NOISE(
            "explore.action.noise",
            "0.1",
            ValueType.DOUBLE,
            "σ of the Gaussian noise on each action component (DDPG exploration in action space): the slate is ranked by, and the transition stores, the noisy action (0 = off)"),
    EXPLORE_EPSILON_START(
            "explore.epsilon.start",
            "0",
            ValueType.DOUBLE,
            "Probability that slate exploration replaces a slate position with a random item, at the start (0 = off; the stored action does not describe such a slate)"),
    EXPLORE_EPSILON_END(
            "explore.epsilon.end", "0", ValueType.DOUBLE, "Final slate-exploration probability per slate position"),
    EXPLORE_EPSILON_DECAY(
            "explore.epsilon.decay.requests",
            "100000",
            ValueType.POSITIVE_LONG,
            "Requests per actor subtask over which epsilon decays linearly"),
    OFFLINE_DRR_STEPS(
            "offline.drr.steps",
            "300",
            ValueType.NON_NEGATIVE_LONG,
            "Offline protocols (./streamrec evaluate): most DRR training steps on the training part (spread over its transitions; 0 = untrained, as learner.enabled=false)");

    public final String key;
    public final String defaultValue;
    public final ValueType type;
    public final String description;

    ConfigKey(String key, String defaultValue, ValueType type, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.type = type;
        this.description = description;
    }

    static ConfigKey byKey(String key) {
        for (ConfigKey k : values()) if (k.key.equals(key)) return k;
        return null;
    }

    static List<String> keys() {
        List<String> l = new ArrayList<>();
        for (ConfigKey k : values()) l.add(k.key);
        return l;
    }
}
