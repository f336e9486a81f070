package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.state.RecommendationRequest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sequence-aware baselines by hand: sequential rules (SR) and vector session kNN (V-SKNN). */
class SequenceAwarePoliciesTest {
    private static final ItemCatalog CATALOG = ItemCatalog.range(20);
    private static final PolicyContext CTX =
            new PolicyContext(CATALOG, StageSettings.policies(StreamrecConfig.defaults()));

    /** Replays one user's positive ratings in order through {@code p}, building the window as the job does. */
    private static int[] rate(Policy p, int user, int window, int... items) {
        int[] w = new int[0];
        int[] rated = new int[0];
        for (int item : items) {
            w = Arrays.copyOf(w, w.length + 1);
            w[w.length - 1] = item;
            if (w.length > window) w = Arrays.copyOfRange(w, 1, w.length);
            rated = Arrays.copyOf(rated, rated.length + 1);
            rated[rated.length - 1] = item;
            int[] sorted = rated.clone();
            Arrays.sort(sorted);
            p.update(new RecommendationRequest(user + "-" + item, user, item, 5f, item, w, sorted));
        }
        return w;
    }

    private static RecommendationRequest state(int user, int... window) {
        int[] rated = window.clone();
        Arrays.sort(rated);
        return new RecommendationRequest(user + "-state", user, -1, 0f, 0, window, rated);
    }

    @Test
    void sequentialRulesWeighFollowersByDistanceFromTheLatestItem() {
        SequentialRulesPolicy sr = new SequentialRulesPolicy(CTX);
        rate(sr, 1, 10, 1, 2, 3);
        rate(sr, 2, 10, 1, 2, 4);
        assertThat(sr.rule(1, 2)).isEqualTo(2.0);
        assertThat(sr.rule(2, 3)).isEqualTo(1.0);
        assertThat(sr.rule(1, 3)).isEqualTo(0.5);
        assertThat(sr.rule(3, 1)).as("rules have a direction").isZero();
        // Only the latest item counts: after 1 comes 2; after 2 come 3 and 4 alike; 5 has no followers.
        assertThat(sr.recommend(state(9, 5, 1), 1).items()).containsExactly(2);
        assertThat(sr.recommend(state(9, 1, 2), 2).items()).containsExactlyInAnyOrder(3, 4);
        // The same items in the other order recommend other things: the order is the signal.
        assertThat(sr.recommend(state(9, 2, 1), 1).items()).containsExactly(3);
    }

    @Test
    void sessionKnnRanksNeighboursByOverlapWeightedTowardsTheRecentItems() {
        SessionKnnPolicy knn = new SessionKnnPolicy(CTX);
        // User 1's session shares the newest item (3) of the query, user 2's the oldest (1).
        rate(knn, 1, 10, 3, 11);
        rate(knn, 2, 10, 1, 12);
        var slate = knn.recommend(state(9, 1, 2, 3), 2);
        assertThat(slate.items()).containsExactly(11, 12);
        // A user's own session is no neighbour; a neighbour whose window holds nothing of the query adds nothing.
        rate(knn, 9, 10, 1, 2, 3);
        rate(knn, 3, 10, 15, 16);
        Slate third = knn.recommend(state(9, 1, 2, 3), 3);
        assertThat(third.items()).startsWith(11, 12);
        assertThat(third.scores()[2])
                .as("beyond the neighbours' items: the popularity tie-break only")
                .isLessThan(1e-6f);
    }
}
