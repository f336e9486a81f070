package io.streamrec.job;

import ai.djl.translate.TranslateException;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.joiner.RewardLedger;
import io.streamrec.joiner.SlateDecision;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.Experience;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.learner.Pacing;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.EngineThreads;
import io.streamrec.policy.Policies;
import io.streamrec.schema.Transition;
import io.streamrec.serving.ActorScorer;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.GreedySlates;
import io.streamrec.serving.Retrieval;
import io.streamrec.serving.ScoredSlate;
import io.streamrec.serving.ServingModel;
import io.streamrec.serving.SlateExplorer;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DRR's online loop in one thread, built from the job's own pieces: the serving actor ({@link ServingModel}, DJL)
 * with the job's exploration ({@link SlateExplorer}), the reward joiner's rules ({@link RewardLedger}: rewards, horizon,
 * session ends) and the learner ({@link DrrLearner}, sync pacing: a fixed number of steps per transition), whose
 * publications serving follows every {@code publish.every.steps} steps. Requests are scored in chunks of
 * {@link #CHUNK} events and a publication is applied at the end of a chunk: serving lags the learner by at most one
 * chunk, as it lags the weights topic online. Everything is seeded and single-threaded, so a run is reproducible
 * digit for digit. Used by the job's deterministic replay ({@link DrrReplayOperator}), the prequential harness
 * ({@code OnlineReplay}) and the offline protocols ({@code OfflineDrr}).
 */
public final class DrrLoop implements AutoCloseable {
    public static final int CHUNK = 256;

    /**
     * One request's answer: the actor's scored slate and the slate served (after slate exploration; null
     * {@code explored} when serving does not explore).
     */
    public record Served(ScoredSlate scored, SlateExplorer.Explored explored) {
        public int[] servedItemIds() {
            return explored == null ? scored.itemIds() : explored.itemIds();
        }
    }

    private final ItemCatalog catalog;
    private final SlateExplorer explorer;
    private final int k;
    private final int horizon;
    private final float unrated;
    private final float threshold;
    private final long sessionGap;
    private final int publishEvery;
    private final long maxSteps;
    private final int embeddingDim;
    private final ActorWeights initial;
    private final DrrLearner learner;
    private final boolean slateHitsOnly;
    private final Map<Integer, RewardLedger> ledgers = new HashMap<>();
    private final Retrieval retrieval;
    private ServingModel model;
    private ActorScorer scorer;
    private long transitions;

    /** The online loop as the job runs it: learning as {@code learner.enabled} says, as many steps as the ratio asks. */
    public static DrrLoop online(ItemCatalog catalog, StreamrecConfig config) {
        return new DrrLoop(
                catalog,
                config,
                config.getBoolean(ConfigKey.LEARNER_ENABLED) ? StageSettings.learner(config) : null,
                Long.MAX_VALUE);
    }

    /**
     * @param learnerSettings null: serve the initial (seeded) actor and learn nothing
     * @param maxSteps        at most this many training steps (Long.MAX_VALUE: as many as the replay ratio asks)
     */
    public DrrLoop(ItemCatalog catalog, StreamrecConfig config, LearnerSettings learnerSettings, long maxSteps) {
        ActorSettings actor = StageSettings.actor(config);
        // One intra-op thread by default (actor.engine.threads): PyTorch's parallel kernels split their sums by the
        // threads they get, so a pool shared with a busy machine changes the last bits of a score and, through a
        // near-tie, a slate (seen: two runs of the same replay diverging at request 783).
        EngineThreads.configure(actor.engineThreads());
        this.catalog = catalog;
        // As in the job: serving explores only while a learner learns from what it served.
        this.explorer = learnerSettings == null ? null : StageSettings.explorer(config);
        this.k = config.getInt(ConfigKey.K);
        this.horizon = config.getInt(ConfigKey.REWARD_HORIZON);
        this.unrated = (float) config.getDouble(ConfigKey.REWARD_UNRATED);
        this.threshold = (float) config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
        this.sessionGap = config.getLong(ConfigKey.SESSION_GAP_MS);
        this.publishEvery = config.getInt(ConfigKey.PUBLISH_EVERY_STEPS);
        this.maxSteps = maxSteps;
        this.embeddingDim = actor.embeddingDim();
        this.initial = ActorWeights.seeded(actor, catalog);
        if (learnerSettings != null) learnerSettings.pacing = Pacing.SYNC;
        this.learner = learnerSettings == null ? null : new DrrLearner(learnerSettings, initial);
        this.slateHitsOnly = learnerSettings != null && learnerSettings.auxSlateHitsOnly;
        this.retrieval = actor.retrieval();
        this.model = new ServingModel(initial, catalog, k, retrieval, null);
        this.scorer = model.newScorer();
    }

    /** Scores a chunk of requests with the current actor; the greedy slate is selected for {@code greedyFor}. */
    public List<Served> serve(List<RecommendationRequest> requests, GreedySlates greedyFor) {
        List<ScoredSlate> slates;
        try {
            slates = scorer.score(
                    requests, explorer == null ? null : explorer.actionNoise(requests.size(), embeddingDim), greedyFor);
        } catch (TranslateException e) {
            throw new IllegalStateException("DRR actor v" + scorer.model().version() + " failed to score", e);
        }
        List<Served> out = new ArrayList<>(slates.size());
        for (int i = 0; i < slates.size(); i++) {
            ScoredSlate s = slates.get(i);
            out.add(new Served(s, explorer == null ? null : explorer.explore(s, requests.get(i).ratedItems, catalog)));
        }
        return out;
    }

    /**
     * The reward joiner's rules for the rating that triggered {@code request} and the slate served for it, in the
     * joiner's order (a session gap closes the user's open slates, then the rating, then the decision); completed
     * transitions train the learner.
     */
    public void join(RecommendationRequest request, Served served) {
        long ts = request.eventTime;
        RewardLedger ledger =
                ledgers.computeIfAbsent(request.userId, u -> new RewardLedger(horizon, unrated, threshold));
        List<Transition> done = new ArrayList<>();
        if (!ledger.isEmpty()
                && ledger.lastEventTime() != Long.MIN_VALUE
                && ts >= ledger.lastEventTime() + sessionGap) {
            done.addAll(ledger.closeSession());
        }
        done.addAll(ledger.onRating(request.triggerItemId, request.triggerRating, ts));
        done.addAll(ledger.onDecision(new SlateDecision(
                request.requestId,
                request.userId,
                Policies.DRR,
                served.scored().modelVersion(),
                ts,
                request.window,
                served.scored().action(),
                served.servedItemIds())));
        for (Transition t : done) {
            transitions++;
            if (learner == null || learner.steps() >= maxSteps) continue;
            learner.observe(Experience.of(t, slateHitsOnly));
        }
    }

    /**
     * At the end of a chunk: publish and serve the new version when {@code publish.every.steps} steps are due.
     * Returns the publication, or null.
     */
    public DrrLearner.Publication endChunk() {
        if (learner == null || learner.steps() - learner.publishedAtStep() < publishEvery) return null;
        DrrLearner.Publication p = learner.publish(1);
        if (p == null) return null;
        scorer.close();
        model.close();
        model = new ServingModel(p.weights(), catalog, k, retrieval, model.index());
        scorer = model.newScorer();
        return p;
    }

    public long transitions() {
        return transitions;
    }

    public long steps() {
        return learner == null ? 0 : learner.steps();
    }

    /** Samples trained per transition so far (0 without a learner). */
    public double achievedReplayRatio() {
        return learner == null ? 0 : learner.achievedReplayRatio();
    }

    public long skippedSteps() {
        return learner == null ? 0 : learner.skippedSteps();
    }

    /**
     * The critic's R² of its TD targets over the replay buffer, with the served actions and with mismatched ones
     * (see DrrLearner#criticRSquared); NaNs without a learner.
     */
    public double[] criticRSquared() {
        return learner == null ? new double[] {Double.NaN, Double.NaN} : learner.criticRSquared(4096);
    }

    public long servingVersion() {
        return model.version();
    }

    /** The actor as trained so far (the initial one when nothing was trained). */
    public ActorWeights currentWeights() {
        return learner == null || learner.steps() == 0
                ? initial
                : learner.currentWeights().withVersion(learner.version() + 1);
    }

    @Override
    public void close() {
        scorer.close();
        model.close();
        if (learner != null) learner.close();
    }
}
