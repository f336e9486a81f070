package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@link GenreQLearning} as a plain-Java policy (offline replays and tests); the streaming job runs the same rule
 * in keyed state keyed by genre ({@code io.streamrec.eval.flink.GenreQFunction}). Recommendation: the best actions
 * of each of the user's genres, merged by Q-value; then ε-greedy: each slot is, with probability ε, a random
 * unrated item instead; slots the tables cannot fill are random too (marked explored).
 */
public final class GenreQPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final double threshold;
    private final double epsilon;
    private final long seed;
    private final GenreQLearning rule;
    final Map<String, Map<Integer, QRow>> tables = new HashMap<>();
    private final Map<String, Map<Integer, int[]>> states = new HashMap<>();

    public GenreQPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.epsilon = ctx.settings().genreQEpsilon();
        this.seed = ctx.seed();
        this.rule =
                new GenreQLearning(ctx.settings().genreQAlpha(), ctx.settings().genreQGamma());
    }

    @Override
    public String name() {
        return "genreq";
    }

    private GenreQLearning.Rows rows(String genre) {
        Map<Integer, QRow> t = tables.computeIfAbsent(genre, g -> new HashMap<>());
        return new GenreQLearning.Rows() {
            public QRow get(int m) {
                return t.get(m);
            }

            public void put(int m, QRow row) {
                t.put(m, row);
            }
        };
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        List<GenreQLearning.Candidate> merged = new ArrayList<>();
        try {
            for (String g : GenreQLearning.userGenres(catalog, r.window, r.triggerItemId)) {
                int[] s = states.getOrDefault(g, Map.of()).get(r.userId);
                merged.addAll(GenreQLearning.best(rows(g), s, k, r.ratedItems));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return merge(
                catalog,
                merged,
                k,
                r.ratedItems,
                epsilon,
                new SplittableRandom(seed ^ (r.requestId == null ? 0 : r.requestId.hashCode())));
    }

    /** Merges per-genre candidates by Q-value (an item keeps its best), then applies ε-greedy and random filling. */
    public static Slate merge(
            ItemCatalog catalog,
            List<GenreQLearning.Candidate> candidates,
            int k,
            int[] rated,
            double epsilon,
            SplittableRandom rnd) {
        Map<Integer, Float> best = new HashMap<>();
        for (GenreQLearning.Candidate c : candidates) best.merge(c.item(), c.q(), Math::max);
        List<Map.Entry<Integer, Float>> ranked = new ArrayList<>(best.entrySet());
        ranked.sort((x, y) -> !x.getValue().equals(y.getValue())
                ? Float.compare(y.getValue(), x.getValue())
                : Integer.compare(x.getKey(), y.getKey()));
        Slate random = RandomPolicy.sample(catalog, rated, k + ranked.size(), rnd);
        int want = Math.min(k, random.items().length);
        int[] ids = new int[want];
        float[] scores = new float[want];
        BitSet used = new BitSet();
        int next = 0, nextRandom = 0;
        for (int slot = 0; slot < want; slot++) {
            boolean explore = next >= ranked.size() || rnd.nextDouble() < epsilon;
            int id;
            float score;
            if (!explore) {
                id = ranked.get(next).getKey();
                score = ranked.get(next++).getValue();
            } else {
                do id = random.items()[nextRandom++];
                while (used.get(catalog.indexOf(id)));
                score = Float.NaN;
            }
            if (used.get(catalog.indexOf(id))) {
                slot--;
                continue;
            }
            used.set(catalog.indexOf(id));
            ids[slot] = id;
            scores[slot] = score;
        }
        return Slate.of(ids, scores);
    }

    @Override
    public void update(RecommendationRequest r) {
        boolean positive = r.triggerRating >= threshold;
        try {
            for (String g : GenreQLearning.genresOf(catalog, r.triggerItemId)) {
                Map<Integer, int[]> users = states.computeIfAbsent(g, x -> new HashMap<>());
                int[] s = users.get(r.userId);
                rule.learn(rows(g), s, r.triggerItemId, r.triggerRating, positive);
                if (positive) users.put(r.userId, GenreQLearning.next(s, r.triggerItemId));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The genres that have a Q-table so far (for tests). */
    public java.util.Set<String> genresWithTables() {
        return tables.keySet();
    }
}
