package io.streamrec.learner;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.joiner.RewardLedger;
import io.streamrec.joiner.SlateDecision;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.EngineThreads;
import io.streamrec.model.Rng;
import io.streamrec.model.TopK;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticGenerator.SyntheticData;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.schema.Transition;
import io.streamrec.serving.ActorSettings;
import io.streamrec.state.PositiveHistoryWindow;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a synthetic rating log through the whole learning loop in one thread, without Flink: per event, the reward
 * ledger (as the RewardJoiner runs it) gets the rating, the user's window is updated (as UserHistoryFunction does),
 * the policy recommends a slate for the new state, and completed transitions go to the learner. The log is fixed
 * (users do not react to slates), so a slate's reward measures how well it predicts what the user rates next.
 */
final class LearningSimulation {
    enum Mode {
        LEARN,
        FROZEN,
        RANDOM,
        ITEMKNN
    }

    record Result(
            Mode mode,
            double meanReward,
            double hitAt10,
            long slates,
            long transitions,
            long steps,
            long skipped,
            double stepsPerSecond) {
        @Override
        public String toString() {
            return String.format(
                    "%s: mean reward %.4f, hit@10 %.4f over %d slates (second half); %d transitions, "
                            + "%d steps (%d skipped), %.0f steps/s",
                    mode, meanReward, hitAt10, slates, transitions, steps, skipped, stepsPerSecond);
        }
    }

    static final float POSITIVE = 4f;

    static Result run(
            SyntheticData data,
            ActorSettings actorSettings,
            LearnerSettings ls,
            Mode mode,
            int horizon,
            long sessionGapMs,
            double epsStart,
            double epsEnd,
            double noiseSigma,
            long seed) {
        // As LearnerFunction.open: cap this thread's PyTorch pool (a wide pool crawls on a busy host).
        EngineThreads.configure(actorSettings.engineThreads());
        EventLog log = data.events();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        DrrLearner learner = new DrrLearner(ls, ActorWeights.seeded(actorSettings, catalog));
        Policy itemKnn = mode == Mode.ITEMKNN
                ? Policies.create(
                        "itemknn", new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults())))
                : null;
        int k = actorSettings.k();
        int items = catalog.size();
        int d = actorSettings.embeddingDim();
        Rng rng = new Rng(seed);
        int n = log.size();
        int half = n / 2;
        // Evaluation only: the item each event's user rates next (look-ahead never reaches the policy or learner).
        int[] nextItem = new int[n];
        Map<Integer, Integer> lastIndex = new HashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            Integer j = lastIndex.put(log.userId(i), i);
            nextItem[i] = j == null ? -1 : log.itemId(j);
        }
        Map<Integer, RewardLedger> ledgers = new HashMap<>();
        Map<Integer, int[]> windows = new HashMap<>();
        Map<Integer, Set<Integer>> rated = new HashMap<>();
        long halfTime = log.timestamp(half);
        double rewardSum = 0;
        long rewardCount = 0;
        long hits = 0;
        long slates = 0;
        long transitions = 0;
        long trainNanos = 0;
        List<Transition> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int u = log.userId(i);
            long ts = log.timestamp(i);
            RewardLedger ledger = ledgers.computeIfAbsent(u, x -> new RewardLedger(horizon, 0f, POSITIVE));
            done.clear();
            if (!ledger.isEmpty() && ts > ledger.lastEventTime() + sessionGapMs) done.addAll(ledger.closeSession());
            done.addAll(ledger.onRating(log.itemId(i), log.rating(i), ts));

            int[] w = windows.getOrDefault(u, PositiveHistoryWindow.EMPTY);
            w = log.rating(i) >= POSITIVE
                    ? PositiveHistoryWindow.append(w, log.itemId(i), actorSettings.windowSize())
                    : PositiveHistoryWindow.remove(w, log.itemId(i));
            windows.put(u, w);
            Set<Integer> r = rated.computeIfAbsent(u, x -> new HashSet<>());
            r.add(log.itemId(i));

            float[] action;
            int[] slate;
            RecommendationRequest request = null;
            if (mode == Mode.RANDOM) {
                action = new float[d];
                slate = randomSlate(k, items, catalog, r, new HashSet<>(), rng);
            } else if (mode == Mode.ITEMKNN) {
                // The job's item-kNN baseline, test-then-learn on the same requests.
                action = new float[d];
                int[] ratedSorted =
                        r.stream().mapToInt(Integer::intValue).sorted().toArray();
                request = new RecommendationRequest(u + "-" + i, u, log.itemId(i), log.rating(i), ts, w, ratedSorted);
                slate = itemKnn.recommend(request, k).items();
            } else {
                action = learner.action(u, w);
                if (mode == Mode.LEARN && noiseSigma > 0) {
                    for (int c = 0; c < d; c++) action[c] += (float) (noiseSigma * rng.nextGaussian());
                }
                slate = topK(learner.scores(action), k, catalog, r);
                if (mode == Mode.LEARN) {
                    double eps = epsEnd + (epsStart - epsEnd) * Math.max(0, 1 - i / (double) half);
                    Set<Integer> inSlate = new HashSet<>();
                    for (int s : slate) inSlate.add(s);
                    for (int s = 0; s < slate.length; s++) {
                        if (rng.nextDouble() < eps) {
                            int[] one = randomSlate(1, items, catalog, r, inSlate, rng);
                            if (one.length == 1) {
                                inSlate.remove(slate[s]);
                                slate[s] = one[0];
                                inSlate.add(one[0]);
                            }
                        }
                    }
                }
            }
            if (i >= half) {
                slates++;
                for (int s : slate) if (s == nextItem[i]) hits++;
            }
            if (itemKnn != null) itemKnn.update(request);
            done.addAll(ledger.onDecision(
                    new SlateDecision(u + "-" + i, u, mode.name(), learner.version(), ts, w, action, slate)));
            for (Transition t : done) {
                transitions++;
                if (t.recommendedAt >= halfTime) {
                    rewardSum += t.reward;
                    rewardCount++;
                }
                if (mode == Mode.LEARN) {
                    long t0 = System.nanoTime();
                    learner.observe(new Experience(
                            t.userId,
                            t.state.window,
                            t.action,
                            t.reward,
                            t.nextState.window,
                            t.done,
                            t.horizonPositives));
                    trainNanos += System.nanoTime() - t0;
                }
            }
        }
        return new Result(
                mode,
                rewardSum / Math.max(1, rewardCount),
                hits / (double) Math.max(1, slates),
                slates,
                transitions,
                learner.steps(),
                learner.skippedSteps(),
                learner.steps() / Math.max(1e-9, trainNanos / 1e9));
    }

    /** The k best-scoring item ids, the excluded ids left out: the serving path's {@link TopK}, on catalogue positions. */
    static int[] topK(float[] scores, int k, ItemCatalog catalog, Set<Integer> exclude) {
        int[] excludedPositions = exclude.stream()
                .mapToInt(catalog::indexOf)
                .filter(i -> i >= 0)
                .sorted()
                .toArray();
        int[] best = TopK.select(scores, 0, scores.length, k, excludedPositions);
        int[] ids = new int[best.length];
        for (int j = 0; j < best.length; j++) ids[j] = catalog.itemIdAt(best[j]);
        return ids;
    }

    static int[] randomSlate(int k, int items, ItemCatalog catalog, Set<Integer> exclude, Set<Integer> taken, Rng rng) {
        List<Integer> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>(taken);
        for (int attempt = 0; attempt < 50 * k && out.size() < k; attempt++) {
            int id = catalog.itemIdAt(rng.nextInt(items));
            if (exclude.contains(id) || !used.add(id)) continue;
            out.add(id);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
