package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Random slates: distinct unrated items, each allowed item about equally often, sparse or dense exclusions alike. */
class RandomPolicyTest {
    @Test
    void drawsDistinctAllowedItemsUniformlyWhetherFewOrMostAreExcluded() {
        ItemCatalog catalog = ItemCatalog.range(1000);
        // few excluded: the rejection path; most excluded (a closed loop's candidates): the listing path
        for (int allowed : new int[] {990, 12}) {
            int[] rated = IntStream.rangeClosed(1, 1000 - allowed).toArray();
            int[] counts = new int[1001];
            SplittableRandom rnd = new SplittableRandom(9);
            int draws = 30_000;
            for (int d = 0; d < draws; d++) {
                int[] items = RandomPolicy.sample(catalog, rated, 4, rnd).items();
                assertThat(items).hasSize(4).doesNotHaveDuplicates();
                for (int id : items) {
                    assertThat(id).isGreaterThan(1000 - allowed);
                    counts[id]++;
                }
            }
            double expected = draws * 4.0 / allowed;
            for (int id = 1001 - allowed; id <= 1000; id++)
                assertThat(counts[id])
                        .as("item %d of %d allowed", id, allowed)
                        .isBetween(
                                (int) (expected - 6 * Math.sqrt(expected)), (int) (expected + 6 * Math.sqrt(expected)));
        }
        // fewer allowed than asked: all of them
        int[] all = IntStream.rangeClosed(1, 998).toArray();
        assertThat(RandomPolicy.sample(catalog, all, 5, new SplittableRandom(1)).items())
                .containsExactlyInAnyOrder(999, 1000);
    }
}
