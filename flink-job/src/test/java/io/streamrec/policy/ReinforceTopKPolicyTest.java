package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.state.RecommendationRequest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReinforceTopKPolicyTest {
    private static final int ITEMS = 200;

    /**
     * A stream where whoever liked item i next consumes and loves item i+1 (and dislikes a random other item now and
     * then): against random on the same stream, the policy's slate must contain the next item far more often.
     */
    @Test
    void learnsWhatFollowsFromRewardedActionsAndBeatsRandom() {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        PolicyContext ctx = new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults()));
        ReinforceTopKPolicy reinforce = new ReinforceTopKPolicy(ctx);
        RandomPolicy random = new RandomPolicy(ctx);
        SplittableRandom rnd = new SplittableRandom(5);
        int hitsReinforce = 0, hitsRandom = 0, judged = 0;
        for (int step = 0; step < 30_000; step++) {
            int user = 1 + rnd.nextInt(50);
            int last = 1 + rnd.nextInt(ITEMS - 1);
            boolean liked = rnd.nextInt(10) > 0;
            int next = liked ? last + 1 : 1 + rnd.nextInt(ITEMS);
            float rating = liked ? 5f : 1f;
            int[] before = {last};
            RecommendationRequest shown = new RecommendationRequest("q" + step, user, last, 5f, step, before, null);
            if (step >= 25_000 && liked) {
                judged++;
                if (contains(reinforce.recommend(shown, 10), next)) hitsReinforce++;
                if (contains(random.recommend(shown, 10), next)) hitsRandom++;
            }
            int[] after = rating >= 4 ? new int[] {last, next} : before;
            reinforce.update(new RecommendationRequest("r" + step, user, next, rating, step, after, null));
        }
        double reinforceHit = hitsReinforce / (double) judged, randomHit = hitsRandom / (double) judged;
        System.out.printf(
                "[reinforce] hit@10 %.3f vs random %.3f over %d judged events; mean importance weight %.3f%n",
                reinforceHit, randomHit, judged, reinforce.meanImportanceWeight());
        assertThat(reinforceHit).isGreaterThan(5 * Math.max(randomHit, 0.01));
        assertThat(reinforce.meanImportanceWeight())
                .isFinite()
                .isPositive()
                .isLessThanOrEqualTo(ReinforceTopKPolicy.CAP);
    }

    @Test
    void slatesExcludeRatedItemsAndHaveNoRepeats() {
        ItemCatalog catalog = ItemCatalog.range(30);
        ReinforceTopKPolicy p =
                new ReinforceTopKPolicy(new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults())));
        int[] rated = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
        Slate s = p.recommend(new RecommendationRequest("x", 1, 3, 5f, 0, new int[] {3}, rated), 10);
        assertThat(s.items()).hasSize(7).doesNotHaveDuplicates();
        for (int id : s.items()) assertThat(id).isGreaterThan(23);
    }

    private static boolean contains(Slate s, int item) {
        for (int id : s.items()) if (id == item) return true;
        return false;
    }
}
