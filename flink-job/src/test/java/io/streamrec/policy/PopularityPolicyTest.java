package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.state.RecommendationRequest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PopularityPolicyTest {
    @Test
    void theKeptRankingGivesTheSameSlatesAsScanningEveryWeightThroughTiesAndRescales() {
        ItemCatalog catalog = ItemCatalog.range(60);
        // Half-life of 0.01 day: the weights are rescaled many times over the stream.
        PopularityPolicy policy = new PopularityPolicy(new PolicyContext(
                catalog,
                StageSettings.policies(StreamrecConfig.defaults().with(ConfigKey.POPULARITY_HALF_LIFE_DAYS, 0.01))));
        Random rnd = new Random(9);
        long t = 0;
        for (int i = 0; i < 5_000; i++) {
            int[] rated = rnd.ints(rnd.nextInt(20), 1, 61).sorted().distinct().toArray();
            RecommendationRequest r =
                    new RecommendationRequest("r" + i, 1, 1 + rnd.nextInt(60), 4, t, new int[0], rated);
            int k = 1 + rnd.nextInt(12);
            Slate kept = policy.recommend(r, k), scanned = policy.recommendByScan(r, k);
            assertThat(kept.items()).as("request %d", i).containsExactly(scanned.items());
            assertThat(kept.scores()).containsExactly(scanned.scores());
            // Many items share a weight early on (ties), and a skewed item choice keeps the top moving.
            int item = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(60);
            policy.update(new RecommendationRequest("u" + i, 1, item, 4, t, new int[0], new int[0]));
            t += rnd.nextInt(60_000);
        }
    }
}
