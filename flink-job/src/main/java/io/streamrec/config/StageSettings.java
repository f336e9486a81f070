package io.streamrec.config;

import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.eval.UserSlice;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.learner.Pacing;
import io.streamrec.model.StateRepresentation;
import io.streamrec.policy.Policies;
import io.streamrec.policy.PolicySettings;
import io.streamrec.schema.Cohorts;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.Retrieval;
import io.streamrec.serving.SlateExplorer;

/**
 * The one mapping from configuration keys to each stage's typed settings. The apps (job, offline, embedded,
 * benchmarks) call it once at the top and hand the settings down; no stage reads a {@link ConfigKey}. Every default
 * is the key's, declared once in {@link ConfigKey}.
 */
public final class StageSettings {
    private StageSettings() {}

    /** Serving: the actor's shape, micro-batching and initial weights. */
    public static ActorSettings actor(StreamrecConfig c) {
        return ActorSettings.builder()
                .embeddingDim(c.getInt(ConfigKey.EMBEDDING_DIM))
                .hiddenDim(c.getInt(ConfigKey.HIDDEN_DIM))
                .windowSize(c.getInt(ConfigKey.WINDOW_SIZE))
                .k(c.getInt(ConfigKey.K))
                .batchSize(c.getInt(ConfigKey.BATCH_SIZE))
                .maxBatchWaitMicros(c.getLong(ConfigKey.BATCH_WAIT_MS) * 1000)
                .seed(c.getLong(ConfigKey.ACTOR_SEED))
                .engineThreads(c.getInt(ConfigKey.ENGINE_THREADS))
                .stateRepresentation(StateRepresentation.parse(c.get(ConfigKey.STATE_REPRESENTATION)))
                .policy(Policies.DRR)
                .weightsFile(c.has(ConfigKey.ACTOR_WEIGHTS_FILE) ? c.get(ConfigKey.ACTOR_WEIGHTS_FILE) : null)
                .retrieval(retrieval(c))
                .build();
    }

    /** Two-stage serving's retrieval stage; the graph's seed is the actor's (same command, same index). */
    public static Retrieval retrieval(StreamrecConfig c) {
        return new Retrieval(
                c.getInt(ConfigKey.ACTOR_CANDIDATES),
                c.getInt(ConfigKey.ACTOR_INDEX_BEAM),
                c.getInt(ConfigKey.ACTOR_INDEX_M),
                c.getInt(ConfigKey.ACTOR_INDEX_EF_CONSTRUCTION),
                c.getInt(ConfigKey.ACTOR_INDEX_REBUILD_VERSIONS),
                c.getLong(ConfigKey.ACTOR_SEED));
    }

    /** Serving's exploration (action noise and slate ε), seeded by the learner seed. */
    public static SlateExplorer explorer(StreamrecConfig c) {
        return new SlateExplorer(
                c.getDouble(ConfigKey.EXPLORE_EPSILON_START),
                c.getDouble(ConfigKey.EXPLORE_EPSILON_END),
                c.getLong(ConfigKey.EXPLORE_EPSILON_DECAY),
                c.getDouble(ConfigKey.EXPLORE_ACTION_NOISE),
                c.getLong(ConfigKey.LEARNER_SEED));
    }

    /** The learner's hyper-parameters. */
    public static LearnerSettings learner(StreamrecConfig c) {
        LearnerSettings s = new LearnerSettings();
        s.gamma = (float) c.getDouble(ConfigKey.LEARNER_GAMMA);
        s.tau = (float) c.getDouble(ConfigKey.LEARNER_TAU);
        s.actorLr = (float) c.getDouble(ConfigKey.LEARNER_ACTOR_LR);
        s.criticLr = (float) c.getDouble(ConfigKey.LEARNER_CRITIC_LR);
        s.embeddingLr = (float) c.getDouble(ConfigKey.LEARNER_EMBEDDING_LR);
        s.criticHiddenDim = c.getInt(ConfigKey.LEARNER_CRITIC_HIDDEN_DIM);
        s.batchSize = c.getInt(ConfigKey.LEARNER_BATCH_SIZE);
        s.warmup = s.batchSize;
        s.replayRatio = c.getDouble(ConfigKey.LEARNER_REPLAY_RATIO);
        s.pacing = Pacing.parse(c.get(ConfigKey.LEARNER_PACING));
        s.bufferCapacity = Math.max(c.getInt(ConfigKey.LEARNER_BUFFER_CAPACITY), s.batchSize);
        s.alpha = c.getDouble(ConfigKey.LEARNER_PER_ALPHA);
        s.beta0 = c.getDouble(ConfigKey.LEARNER_PER_BETA0);
        s.betaSteps = c.getLong(ConfigKey.LEARNER_PER_BETA_STEPS);
        s.auxWeight = (float) c.getDouble(ConfigKey.LEARNER_AUX_WEIGHT);
        s.seed = c.getLong(ConfigKey.LEARNER_SEED);
        s.auxLoss = LearnerSettings.AuxLoss.of(c.get(ConfigKey.LEARNER_AUX_LOSS));
        s.auxSlateHitsOnly = c.get(ConfigKey.LEARNER_AUX_TARGETS).equals("slate-hits");
        s.auxNegatives = c.getInt(ConfigKey.LEARNER_AUX_NEGATIVES);
        s.auxDiscount = (float) c.getDouble(ConfigKey.LEARNER_AUX_DISCOUNT);
        s.auxPositives = c.getInt(ConfigKey.LEARNER_AUX_POSITIVES);
        s.qWeight = (float) c.getDouble(ConfigKey.LEARNER_Q_WEIGHT);
        s.criticTrainsState = c.getBoolean(ConfigKey.LEARNER_CRITIC_TRAINS_STATE);
        s.itemCritic = c.get(ConfigKey.LEARNER_CRITIC_INPUT).equals("item");
        s.criticCandidates = c.getInt(ConfigKey.LEARNER_CRITIC_CANDIDATES);
        s.criticFullFeedback = c.get(ConfigKey.LEARNER_CRITIC_FEEDBACK).equals("full");
        s.criticMatch = c.getBoolean(ConfigKey.LEARNER_CRITIC_MATCH);
        s.twinCritics = c.getBoolean(ConfigKey.LEARNER_TD3_TWIN);
        s.targetNoise = (float) c.getDouble(ConfigKey.LEARNER_TD3_TARGET_NOISE);
        s.policyDelay = c.getInt(ConfigKey.LEARNER_TD3_POLICY_DELAY);
        s.boundedTargets = c.getBoolean(ConfigKey.LEARNER_Q_BOUNDED);
        return s.validate();
    }

    /** The baseline policies evaluated beside DRR. */
    public static PolicySettings policies(StreamrecConfig c) {
        return new PolicySettings(
                policiesNamed(c),
                c.getDouble(ConfigKey.POSITIVE_THRESHOLD),
                c.getLong(ConfigKey.POLICY_SEED),
                c.getDouble(ConfigKey.POPULARITY_HALF_LIFE_DAYS),
                c.getInt(ConfigKey.MF_FACTORS),
                c.getDouble(ConfigKey.MF_LEARNING_RATE),
                c.getDouble(ConfigKey.MF_REGULARISATION),
                c.getInt(ConfigKey.MF_NEGATIVES),
                c.getDouble(ConfigKey.LINUCB_ALPHA),
                c.getDouble(ConfigKey.GENREQ_EPSILON),
                c.getDouble(ConfigKey.GENREQ_ALPHA),
                c.getDouble(ConfigKey.GENREQ_GAMMA),
                c.get(ConfigKey.SLATEQ_RETURNS).equals("session"),
                c.getLong(ConfigKey.SESSION_GAP_MS));
    }

    /** The configured policy names, validated, in order. */
    public static java.util.List<String> policiesNamed(StreamrecConfig c) {
        return Policies.parse(c.get(ConfigKey.POLICIES));
    }

    /** The users whose slates are scored and judged for the evaluation. */
    public static UserSlice evaluationSlice(StreamrecConfig c) {
        return new UserSlice(c.getDouble(ConfigKey.EVAL_SAMPLE));
    }

    /** The prequential evaluator: slate length, positives, horizon and metric windows. */
    public static PrequentialEvaluator.Settings evaluation(StreamrecConfig c) {
        return new PrequentialEvaluator.Settings(
                c.getInt(ConfigKey.K),
                c.getDouble(ConfigKey.POSITIVE_THRESHOLD),
                c.getInt(ConfigKey.EVAL_HORIZON),
                c.getLong(ConfigKey.EVAL_WINDOW_EVENTS),
                c.getInt(ConfigKey.EVAL_WINDOW_DAYS));
    }

    /** The closed loop's cohorts: one per policy of {@code policies}. */
    public static Cohorts cohorts(StreamrecConfig c) {
        return new Cohorts(Policies.parse(c.get(ConfigKey.POLICIES)));
    }
}
