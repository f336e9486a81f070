package io.streamrec.offline;

import ai.djl.translate.TranslateException;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.joiner.RewardLedger;
import io.streamrec.joiner.SlateDecision;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.Experience;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.learner.Pacing;
import io.streamrec.model.ActorWeights;
import io.streamrec.movielens.EventLog;
import io.streamrec.policy.Policies;
import io.streamrec.schema.Transition;
import io.streamrec.serving.ActorScorer;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.ScoredSlate;
import io.streamrec.serving.ServingModel;
import io.streamrec.serving.SlateExplorer;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * DRR for the offline protocols: trains a {@link DrrLearner} by replaying a training part of the log through the
 * online loop's pieces in one thread — per event (time order) the user's request ({@link RequestBuilder}, the rules of
 * UserHistoryFunction), the serving actor's slate ({@link ServingModel}, DJL) with the job's ε-exploration
 * ({@link SlateExplorer}), and the {@link RewardLedger} (the RewardJoiner's reward rules and session ends) whose
 * completed transitions the learner observes; serving follows the learner's publications every
 * {@code publish.every.steps} steps, as in the job. Requests are scored in chunks of {@link #CHUNK} events (serving
 * lags the learner by at most one chunk, as it lags the weights topic online). Training is bounded by
 * {@code offline.drr.steps}: the replay ratio capped at {@code B·steps / events}, so the
 * steps are spread over the whole training part. Everything is seeded (actor.seed, learner.seed): a run is
 * reproducible. {@code learner.enabled=false} or {@code offline.drr.steps=0} gives the untrained (seeded v0) actor.
 */
public final class OfflineDrr {
    static final int CHUNK = 256;

    /** The trained actor and how it was trained. */
    public record Trained(ActorWeights weights, long transitions, long steps, long skipped, double seconds) {
        String note() {
            return steps == 0
                    ? "untrained (seeded v0)"
                    : String.format(
                            java.util.Locale.ROOT,
                            "trained offline: %d steps on %d transitions, %.1f s",
                            steps,
                            transitions,
                            seconds);
        }
    }

    private OfflineDrr() {}

    /** Trains on the events {@code e} (indices into the time-ordered log) for which {@code train.test(e)}. */
    public static Trained train(EventLog events, IntPredicate train, ItemCatalog catalog, StreamrecConfig config) {
        long t0 = System.nanoTime();
        ActorSettings actorSettings = StageSettings.actor(config);
        ActorWeights initial = ActorWeights.seeded(actorSettings, catalog);
        long maxSteps = config.getBoolean(ConfigKey.LEARNER_ENABLED) ? config.getLong(ConfigKey.OFFLINE_DRR_STEPS) : 0;
        if (maxSteps == 0) return new Trained(initial, 0, 0, 0, 0);
        int trainEvents = 0;
        for (int e = 0; e < events.size(); e++) if (train.test(e)) trainEvents++;
        LearnerSettings ls = StageSettings.learner(config);
        // At most maxSteps steps, spread over the training part: the replay ratio capped at B·maxSteps/events.
        ls.replayRatio = Math.min(ls.replayRatio, (double) ls.batchSize * maxSteps / Math.max(1, trainEvents));
        ls.pacing = Pacing.SYNC;
        DrrLearner learner = new DrrLearner(ls, initial);
        SlateExplorer explorer = StageSettings.explorer(config);
        int k = config.getInt(ConfigKey.K);
        int horizon = config.getInt(ConfigKey.REWARD_HORIZON);
        float unrated = (float) config.getDouble(ConfigKey.REWARD_UNRATED);
        float threshold = (float) config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
        long gap = config.getLong(ConfigKey.SESSION_GAP_MS);
        int publishEvery = config.getInt(ConfigKey.PUBLISH_EVERY_STEPS);
        RequestBuilder rb = new RequestBuilder(actorSettings.windowSize(), threshold);
        Map<Integer, RewardLedger> ledgers = new HashMap<>();
        long transitions = 0;
        ServingModel model = new ServingModel(initial, catalog, k);
        ActorScorer scorer = model.newScorer();
        try {
            List<Integer> chunk = new ArrayList<>(CHUNK);
            List<RecommendationRequest> requests = new ArrayList<>(CHUNK);
            for (int start = 0; start < events.size(); ) {
                chunk.clear();
                requests.clear();
                for (; start < events.size() && chunk.size() < CHUNK; start++) {
                    if (!train.test(start)) continue;
                    chunk.add(start);
                    requests.add(rb.next(
                            events.get(start).requestId(),
                            events.userId(start),
                            events.itemId(start),
                            events.rating(start),
                            events.timestamp(start)));
                }
                if (chunk.isEmpty()) break;
                List<ScoredSlate> slates =
                        scorer.score(requests, explorer.actionNoise(requests.size(), actorSettings.embeddingDim()));
                for (int i = 0; i < chunk.size(); i++) {
                    int e = chunk.get(i);
                    RecommendationRequest req = requests.get(i);
                    long ts = events.timestamp(e);
                    RewardLedger ledger =
                            ledgers.computeIfAbsent(req.userId, u -> new RewardLedger(horizon, unrated, threshold));
                    List<Transition> done = new ArrayList<>();
                    // as the RewardJoiner: a session gap closes the open slates, then the rating, then the decision
                    if (!ledger.isEmpty()
                            && ledger.lastEventTime() != Long.MIN_VALUE
                            && ts >= ledger.lastEventTime() + gap) {
                        done.addAll(ledger.closeSession());
                    }
                    done.addAll(ledger.onRating(events.itemId(e), events.rating(e), ts));
                    ScoredSlate s = slates.get(i);
                    int[] slate = explorer.explore(s, req.ratedItems, catalog).itemIds();
                    done.addAll(ledger.onDecision(new SlateDecision(
                            req.requestId,
                            req.userId,
                            Policies.DRR,
                            s.modelVersion(),
                            ts,
                            req.window,
                            s.action(),
                            slate)));
                    for (Transition t : done) {
                        transitions++;
                        if (learner.steps() >= maxSteps) continue;
                        learner.observe(new Experience(
                                t.userId,
                                t.state.window,
                                t.action,
                                t.reward,
                                t.nextState.window,
                                t.done,
                                t.horizonPositives));
                    }
                }
                if (learner.steps() - learner.publishedAtStep() >= publishEvery) {
                    DrrLearner.Publication p = learner.publish(1);
                    if (p != null) {
                        scorer.close();
                        model.close();
                        model = new ServingModel(p.weights(), catalog, k);
                        scorer = model.newScorer();
                    }
                }
            }
        } catch (TranslateException ex) {
            throw new IllegalStateException("DRR actor failed while replaying the training part", ex);
        } finally {
            scorer.close();
            model.close();
        }
        try (learner) {
            ActorWeights trained =
                    learner.steps() == 0 ? initial : learner.currentWeights().withVersion(learner.version() + 1);
            return new Trained(
                    trained, transitions, learner.steps(), learner.skippedSteps(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
