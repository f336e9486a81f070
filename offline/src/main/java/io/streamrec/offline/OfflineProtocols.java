package io.streamrec.offline;

import ai.djl.translate.TranslateException;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.RankingMetrics;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.movielens.EventLog;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.serving.ActorScorer;
import io.streamrec.serving.ServingModel;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The two offline protocols, run on the same policies as the online evaluation.
 *
 * <p><b>drr</b> — our reading of the public DRR code's protocol: users are split 80/20 at random (seeded); the
 * policies learn from every rating of the training users (in time order); each test user's first
 * {@code window.size} positive ratings are its state (folded into the policies, as the DRR code feeds them to the
 * actor); each test user then gets one top-k slate; a recommended item is a hit when the test user rated it ≥ 4 at
 * any time — including ratings made long after the state, which is why this protocol <b>leaks future ratings</b>;
 * reward (r − 3) / 2 for a rated item, −0.5 for an unrated one. NDCG uses binary relevance. The DRR replication
 * reports P@10 0.4397, NDCG@10 0.4256 on ML-1M.
 *
 * <p><b>temporal</b> — leak-free: the stream is cut at the time of its 80th-percentile event; the policies learn from
 * the events before the cut only; every user with ratings on both sides gets one top-k slate from their state at the
 * cut, judged against their ratings after it (relevant: rated ≥ the positive threshold; NDCG graded by rating as
 * online; hit: the first positive after the cut; reward as in the drr protocol).
 */
public final class OfflineProtocols {
    public static final String DRR_NOTE =
            "offline — public DRR code's protocol (80/20 users; hit = any item the test user rated >= 4; "
                    + "LEAKS FUTURE RATINGS: a test user's later ratings count as hits). DRR replication on ML-1M: P@10 0.4397, NDCG@10 0.4256.";
    public static final String TEMPORAL_NOTE =
            "offline — leak-free temporal split (learn before the 80% time cut, judge each user's one slate on ratings after it):";

    /** One policy's result under one offline protocol. */
    public record Row(
            String policy,
            int users,
            double precision,
            double recall,
            double ndcg,
            double hit,
            double reward,
            String note) {}

    public static List<Row> drrProtocol(
            EventLog events, ItemCatalog catalog, StreamrecConfig config, List<String> policyNames) {
        int k = config.getInt(ConfigKey.K);
        int stateSize = config.getInt(ConfigKey.WINDOW_SIZE);
        double threshold = config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
        // users in first-appearance order, split 80/20 with the policy seed
        List<Integer> users = new ArrayList<>(firstAppearance(events));
        SplittableRandom rnd = new SplittableRandom(config.getLong(ConfigKey.POLICY_SEED));
        for (int i = users.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = users.get(i);
            users.set(i, users.get(j));
            users.set(j, t);
        }
        Set<Integer> test = new HashSet<>(users.subList((int) Math.round(users.size() * 0.8), users.size()));
        // test users' state: first stateSize positives (time order); the rest of their ratings only judge
        Map<Integer, List<Integer>> stateEvents = new HashMap<>();
        Map<Integer, Map<Integer, Float>> allRatings = new HashMap<>();
        for (int e = 0; e < events.size(); e++) {
            int u = events.userId(e);
            if (!test.contains(u)) continue;
            allRatings.computeIfAbsent(u, x -> new HashMap<>()).put(events.itemId(e), events.rating(e));
            List<Integer> s = stateEvents.computeIfAbsent(u, x -> new ArrayList<>());
            if (events.rating(e) >= 4.0 && s.size() < stateSize) s.add(e);
        }
        List<Row> rows = new ArrayList<>();
        for (String name : policyNames) {
            try (Recommender p = recommender(name, events, e -> !test.contains(events.userId(e)), catalog, config)) {
                RequestBuilder rb = new RequestBuilder(stateSize, threshold);
                for (int e = 0; e < events.size(); e++) {
                    if (test.contains(events.userId(e))) continue;
                    p.update(OnlineReplay.request(rb, events, e));
                }
                List<Integer> evaluated = new ArrayList<>();
                for (Integer u : users) {
                    if (!test.contains(u) || stateEvents.get(u).size() < stateSize) continue;
                    if (allRatings.get(u).size() <= stateSize) continue;
                    evaluated.add(u);
                    for (int e : stateEvents.get(u)) {
                        p.update(rb.next(
                                events.get(e).requestId(), u, events.itemId(e), events.rating(e), events.timestamp(e)));
                    }
                }
                Acc acc = new Acc();
                for (Integer u : evaluated) {
                    RecommendationRequest req = rb.current(u, events.timestamp(events.size() - 1));
                    int[] slate = p.recommend(req, k);
                    Map<Integer, Float> ratings = allRatings.get(u);
                    Set<Integer> stateItems = new HashSet<>();
                    for (int e : stateEvents.get(u)) stateItems.add(events.itemId(e));
                    int relevant = 0;
                    for (Map.Entry<Integer, Float> r : ratings.entrySet())
                        if (r.getValue() >= 4.0 && !stateItems.contains(r.getKey())) relevant++;
                    int hits = 0;
                    double dcg = 0, reward = 0;
                    int firstHitRank = 0;
                    for (int pos = 0; pos < slate.length; pos++) {
                        Float r = ratings.get(slate[pos]);
                        reward += r == null ? -0.5 : (r - 3.0) / 2.0;
                        if (r != null && r >= 4.0) {
                            hits++;
                            dcg += 1 / RankingMetrics.log2(pos + 2);
                            if (firstHitRank == 0) firstHitRank = pos + 1;
                        }
                    }
                    double idcg = 0;
                    for (int pos = 0; pos < Math.min(k, relevant); pos++) idcg += 1 / RankingMetrics.log2(pos + 2);
                    acc.add(
                            hits / (double) k,
                            relevant == 0 ? Double.NaN : hits / (double) relevant,
                            idcg == 0 ? Double.NaN : dcg / idcg,
                            hits > 0 ? 1 : 0,
                            reward / k);
                }
                rows.add(acc.row(name, p.note("leaks future ratings")));
            }
        }
        return rows;
    }

    public static List<Row> temporalProtocol(
            EventLog events, ItemCatalog catalog, StreamrecConfig config, List<String> policyNames) {
        int k = config.getInt(ConfigKey.K);
        double threshold = config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
        int cut = (int) Math.floor(events.size() * 0.8);
        long cutTime = events.timestamp(cut);
        while (cut > 0 && events.timestamp(cut - 1) == cutTime) cut--; // never split a timestamp
        Map<Integer, List<Integer>> future = new LinkedHashMap<>();
        Set<Integer> trainUsers = new HashSet<>();
        for (int e = 0; e < cut; e++) trainUsers.add(events.userId(e));
        for (int e = cut; e < events.size(); e++) {
            if (trainUsers.contains(events.userId(e)))
                future.computeIfAbsent(events.userId(e), x -> new ArrayList<>()).add(e);
        }
        List<Row> rows = new ArrayList<>();
        for (String name : policyNames) {
            final int trainEnd = cut;
            try (Recommender p = recommender(name, events, e -> e < trainEnd, catalog, config)) {
                RequestBuilder rb = new RequestBuilder(config.getInt(ConfigKey.WINDOW_SIZE), threshold);
                for (int e = 0; e < cut; e++) {
                    p.update(OnlineReplay.request(rb, events, e));
                }
                Acc acc = new Acc();
                for (Map.Entry<Integer, List<Integer>> f : future.entrySet()) {
                    int u = f.getKey();
                    List<Integer> later = f.getValue();
                    int[] items = later.stream().mapToInt(events::itemId).toArray();
                    float[] ratings = new float[items.length];
                    for (int i = 0; i < items.length; i++) ratings[i] = events.rating(later.get(i));
                    if (RankingMetrics.countRelevant(ratings, threshold) == 0) continue;
                    int[] slate = p.recommend(rb.current(u, cutTime), k);
                    double reward = 0;
                    for (int item : slate) {
                        int i = indexOf(items, item);
                        reward += i < 0 ? -0.5 : (ratings[i] - 3.0) / 2.0;
                    }
                    acc.add(
                            RankingMetrics.precisionAtK(slate, k, items, ratings, threshold),
                            RankingMetrics.recallAtK(slate, k, items, ratings, threshold),
                            RankingMetrics.ndcgAtK(slate, k, items, ratings, threshold),
                            RankingMetrics.hitAtK(slate, k, items, ratings, threshold),
                            reward / k);
                }
                rows.add(acc.row(name, p.note("leak-free")));
            }
        }
        return rows;
    }

    /** A policy as the protocols use it: learns from requests, answers one slate; DRR learns before (OfflineDrr). */
    private interface Recommender extends AutoCloseable {
        void update(RecommendationRequest r);

        int[] recommend(RecommendationRequest r, int k);

        default String note(String protocolNote) {
            return protocolNote;
        }

        @Override
        default void close() {}
    }

    private static Recommender recommender(
            String name, EventLog events, IntPredicate train, ItemCatalog catalog, StreamrecConfig config) {
        if (!name.equals(Policies.DRR)) {
            Policy p = Policies.create(name, new PolicyContext(catalog, StageSettings.policies(config)));
            return new Recommender() {
                public void update(RecommendationRequest r) {
                    p.update(r);
                }

                public int[] recommend(RecommendationRequest r, int k) {
                    return p.recommend(r, k).items();
                }
            };
        }
        OfflineDrr.Trained trained = OfflineDrr.train(events, train, catalog, config);
        ServingModel model = new ServingModel(
                trained.weights(), catalog, config.getInt(ConfigKey.K), StageSettings.retrieval(config), null);
        ActorScorer scorer = model.newScorer();
        return new Recommender() {
            public void update(RecommendationRequest r) {} // trained on the same training part beforehand

            public int[] recommend(RecommendationRequest r, int k) {
                try {
                    return scorer.score(List.of(r)).get(0).itemIds();
                } catch (TranslateException e) {
                    throw new IllegalStateException("DRR actor failed", e);
                }
            }

            public String note(String protocolNote) {
                return protocolNote + "; " + trained.note();
            }

            public void close() {
                scorer.close();
                model.close();
            }
        };
    }

    public static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "%-12s %7s %10s %10s %10s %10s %10s  %s%n",
                "policy",
                "users",
                "P@k",
                "R@k",
                "NDCG@k",
                "HR@k",
                "reward",
                "note"));
        for (Row r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s %7d %10s %10s %10s %10s %10s  %s%n",
                    r.policy,
                    r.users,
                    f(r.precision),
                    f(r.recall),
                    f(r.ndcg),
                    f(r.hit),
                    f(r.reward),
                    r.note));
        }
        return sb.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) if (a[i] == x) return i;
        return -1;
    }

    private static Set<Integer> firstAppearance(EventLog events) {
        Set<Integer> s = new java.util.LinkedHashSet<>();
        for (int e = 0; e < events.size(); e++) s.add(events.userId(e));
        return s;
    }

    private static final class Acc {
        int n, nr, nn;
        double p, r, ndcg, hit, reward;

        void add(double p, double r, double ndcg, double hit, double reward) {
            n++;
            this.p += p;
            this.hit += hit;
            this.reward += reward;
            if (!Double.isNaN(r)) {
                nr++;
                this.r += r;
            }
            if (!Double.isNaN(ndcg)) {
                nn++;
                this.ndcg += ndcg;
            }
        }

        Row row(String name, String note) {
            return new Row(
                    name,
                    n,
                    n == 0 ? Double.NaN : p / n,
                    nr == 0 ? Double.NaN : r / nr,
                    nn == 0 ? Double.NaN : ndcg / nn,
                    n == 0 ? Double.NaN : hit / n,
                    n == 0 ? Double.NaN : reward / n,
                    note);
        }
    }
}
