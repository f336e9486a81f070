package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.schema.Movie;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlateQPolicyTest {
    private static final int START = 1, GATE = 2, CANDY = 3, PRIZE = 4, LEMON = 5;

    /**
     * Episodes of three ratings: the start item, then GATE (rating 4) or CANDY (4.5, the better one now), then PRIZE
     * (5) after GATE or LEMON (1) after CANDY. From the start, SlateQ must rank GATE above CANDY — the long-term value
     * — though CANDY pays more immediately.
     */
    @Test
    void ranksTheItemWithTheBetterFutureAboveTheOneThatPaysMoreNow() {
        ItemCatalog catalog = ItemCatalog.range(40);
        SlateQPolicy slateq =
                new SlateQPolicy(new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults())));
        SplittableRandom rnd = new SplittableRandom(3);
        for (int episode = 0; episode < 4_000; episode++) {
            int user = 1000 + episode;
            boolean gate = rnd.nextBoolean();
            step(slateq, user, START, 5f, new int[] {START});
            if (gate) {
                step(slateq, user, GATE, 4f, new int[] {START, GATE});
                step(slateq, user, PRIZE, 5f, new int[] {START, GATE, PRIZE});
            } else {
                step(slateq, user, CANDY, 4.5f, new int[] {START, CANDY});
                step(slateq, user, LEMON, 1f, new int[] {START, CANDY});
            }
        }
        Slate s = slateq.recommend(
                new RecommendationRequest("q", 1, START, 5f, 0, new int[] {START}, new int[] {START}), 10);
        int gateRank = rank(s, GATE), candyRank = rank(s, CANDY);
        System.out.printf(
                "[slateq] from the start: GATE at %d, CANDY at %d of %s; mean |td| %.3f%n",
                gateRank, candyRank, java.util.Arrays.toString(s.items()), slateq.meanAbsTdError());
        assertThat(gateRank).as("GATE is on the slate").isGreaterThanOrEqualTo(0);
        assertThat(candyRank < 0 || gateRank < candyRank).as("GATE above CANDY").isTrue();
        assertThat(slateq.meanAbsTdError()).isFinite();
    }

    /**
     * slateq.returns session: sessions that start with a "good" genre's video go on for six more clicks, those that
     * start with a "bad" one for one (all ratings 5: no step's reward tells them apart). SlateQ must rank a good video it
     * never saw consumed above a bad one it never saw — the genres' session returns, learned when each session ends.
     */
    @Test
    void sessionReturnsRankTheGenreThatKeepsSessionsGoingFirst() {
        List<Movie> movies = new ArrayList<>();
        for (int id = 1; id <= 60; id++)
            movies.add(new Movie(id, "v" + id, List.of(id <= 20 ? "good" : id <= 40 ? "bad" : "filler")));
        ItemCatalog catalog = ItemCatalog.of(movies);
        SlateQPolicy slateq = new SlateQPolicy(new PolicyContext(
                catalog, StageSettings.policies(StreamrecConfig.fromArgs("--slateq.returns", "session"))));
        SplittableRandom rnd = new SplittableRandom(5);
        long day = 86_400_000L;
        for (int session = 0; session < 300; session++) {
            int user = session % 10;
            long t = session * day;
            boolean good = rnd.nextBoolean();
            int first = (good ? 1 : 21) + rnd.nextInt(18); // videos 19, 20, 39 and 40 are never consumed
            List<Integer> window = new ArrayList<>(List.of(first));
            slateq.update(request(user, first, t, window));
            for (int i = 0; i < (good ? 6 : 1); i++) {
                int filler = 41 + rnd.nextInt(20);
                window.add(filler);
                slateq.update(request(user, filler, t + (i + 1) * 60_000L, window));
            }
        }
        assertThat(slateq.advantage(catalog.indexOf(20))).isGreaterThan(1.0);
        assertThat(slateq.advantage(catalog.indexOf(40))).isLessThan(-1.0);
        int[] onlyTwo = java.util.stream.IntStream.rangeClosed(1, 60)
                .filter(id -> id != 20 && id != 40)
                .toArray();
        Slate s = slateq.recommend(new RecommendationRequest("q", 3, -1, 0f, 0, new int[0], onlyTwo), 2);
        assertThat(s.items()).containsExactly(20, 40);
    }

    private static RecommendationRequest request(int user, int item, long t, List<Integer> window) {
        int[] w = window.stream()
                .skip(Math.max(0, window.size() - 5))
                .mapToInt(Integer::intValue)
                .toArray();
        return new RecommendationRequest("r", user, item, 5f, t, w, null);
    }

    @Test
    void slatesExcludeRatedItems() {
        ItemCatalog catalog = ItemCatalog.range(12);
        SlateQPolicy p =
                new SlateQPolicy(new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults())));
        Slate s = p.recommend(
                new RecommendationRequest("x", 1, 3, 5f, 0, new int[] {3}, new int[] {1, 2, 3, 4, 5, 6, 7}), 10);
        assertThat(s.items()).hasSize(5).doesNotHaveDuplicates();
        for (int id : s.items()) assertThat(id).isGreaterThan(7);
    }

    private static void step(SlateQPolicy p, int user, int item, float rating, int[] windowAfter) {
        p.update(new RecommendationRequest("r", user, item, rating, 0, windowAfter, null));
    }

    private static int rank(Slate s, int item) {
        for (int i = 0; i < s.items().length; i++) if (s.items()[i] == item) return i;
        return -1;
    }
}
