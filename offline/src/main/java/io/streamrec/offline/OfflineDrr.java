package io.streamrec.offline;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.job.DrrLoop;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.model.ActorWeights;
import io.streamrec.movielens.EventLog;
import io.streamrec.serving.GreedySlates;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * DRR for the offline protocols: trains a {@link DrrLearner} by replaying a training part of the log through the
 * online loop's pieces in one thread — per event (time order) the user's request ({@link RequestBuilder}, the rules of
 * UserHistoryFunction), the serving actor's slate ({@link ServingModel}, DJL) with the job's ε-exploration
 * ({@link SlateExplorer}), and the {@link RewardLedger} (the RewardJoiner's reward rules and session ends) whose
 * completed transitions the learner observes; serving follows the learner's publications every
 * {@code publish.every.steps} steps, as in the job. Requests are scored in chunks of {@link DrrLoop#CHUNK} events (serving
 * lags the learner by at most one chunk, as it lags the weights topic online). Training is bounded by
 * {@code offline.drr.steps}: the replay ratio capped at {@code B·steps / events}, so the
 * steps are spread over the whole training part. Everything is seeded (actor.seed, learner.seed): a run is
 * reproducible. {@code learner.enabled=false} or {@code offline.drr.steps=0} gives the untrained (seeded v0) actor.
 */
public final class OfflineDrr {
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
        long maxSteps = config.getBoolean(ConfigKey.LEARNER_ENABLED) ? config.getLong(ConfigKey.OFFLINE_DRR_STEPS) : 0;
        if (maxSteps == 0) {
            return new Trained(ActorWeights.seeded(StageSettings.actor(config), catalog), 0, 0, 0, 0);
        }
        int trainEvents = 0;
        for (int e = 0; e < events.size(); e++) if (train.test(e)) trainEvents++;
        LearnerSettings ls = StageSettings.learner(config);
        // At most maxSteps steps, spread over the training part: the replay ratio capped at B·maxSteps/events.
        ls.replayRatio = Math.min(ls.replayRatio, (double) ls.batchSize * maxSteps / Math.max(1, trainEvents));
        RequestBuilder rb = new RequestBuilder(
                StageSettings.actor(config).windowSize(), config.getDouble(ConfigKey.POSITIVE_THRESHOLD));
        try (DrrLoop loop = new DrrLoop(catalog, config, ls, maxSteps)) {
            List<RecommendationRequest> requests = new ArrayList<>(DrrLoop.CHUNK);
            for (int start = 0; start < events.size(); ) {
                requests.clear();
                for (; start < events.size() && requests.size() < DrrLoop.CHUNK; start++) {
                    if (train.test(start)) requests.add(OnlineReplay.request(rb, events, start));
                }
                if (requests.isEmpty()) break;
                List<DrrLoop.Served> served = loop.serve(requests, GreedySlates.EVERY_USER);
                for (int i = 0; i < requests.size(); i++) loop.join(requests.get(i), served.get(i));
                loop.endChunk();
            }
            return new Trained(
                    loop.currentWeights(),
                    loop.transitions(),
                    loop.steps(),
                    loop.skippedSteps(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
