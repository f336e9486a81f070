package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntCountsTest {
    @Test
    void countsLikeAHashMapThroughGrowthAndIteratesEveryKeyOnce() {
        Random rnd = new Random(3);
        IntCounts counts = new IntCounts();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            int key = rnd.nextInt(i < 10_000 ? 50 : 5_000);
            counts.increment(key);
            expected.merge(key, 1, Integer::sum);
        }
        assertThat(counts.size()).isEqualTo(expected.size());
        Map<Integer, Integer> iterated = new HashMap<>();
        for (int slot = 0; slot < counts.capacity(); slot++) {
            if (counts.keyAt(slot) >= 0)
                assertThat(iterated.put(counts.keyAt(slot), counts.countAt(slot)))
                        .isNull();
        }
        assertThat(iterated).isEqualTo(expected);
        for (int key = 0; key < 5_100; key++) assertThat(counts.get(key)).isEqualTo(expected.getOrDefault(key, 0));
        assertThatThrownBy(() -> counts.increment(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
