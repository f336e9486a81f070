package io.streamrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void bestFirst() {
        float[] s = {0.1f, 0.9f, -0.5f, 0.7f, 0.3f};
        assertThat(TopK.select(s, 0, s.length, 3, null)).containsExactly(1, 3, 4);
    }

    @Test
    void tiesGoToTheLowerPosition() {
        float[] s = {0.5f, 1f, 0.5f, 1f, 0.5f};
        assertThat(TopK.select(s, 0, s.length, 4, null)).containsExactly(1, 3, 0, 2);
    }

    @Test
    void withTieKeysTiesGoToTheLowerKeyInsteadOfTheLowerPosition() {
        float[] s = {0.5f, 1f, 0.5f, 1f, 0.5f, 0.2f};
        int[] keys = {40, 30, 10, 20, 50, 0};
        assertThat(TopK.select(s, 0, s.length, 4, null, keys)).containsExactly(3, 1, 2, 0);
        // A tie with the worst kept entry still gets in when its key is lower (no fast-path skip).
        assertThat(TopK.select(s, 0, s.length, 3, new int[] {2}, keys)).containsExactly(3, 1, 0);
    }

    @Test
    void excludedPositionsNeverAppear() {
        float[] s = {9f, 8f, 7f, 6f, 5f, 4f};
        assertThat(TopK.select(s, 0, s.length, 3, new int[] {0, 2, 3})).containsExactly(1, 4, 5);
    }

    @Test
    void returnsWhatRemainsWhenKExceedsIt() {
        float[] s = {1f, 2f, 3f, 4f};
        assertThat(TopK.select(s, 0, s.length, 10, new int[] {1, 2})).containsExactly(3, 0);
        assertThat(TopK.select(s, 0, s.length, 10, new int[] {0, 1, 2, 3})).isEmpty();
        assertThat(TopK.select(s, 0, s.length, 0, null)).isEmpty();
    }

    @Test
    void worksOnARowOfALargerMatrix() {
        float[] m = {100f, 100f, 100f, /* row 1: */ 1f, 3f, 2f, /* row 2: */ 50f, 50f, 50f};
        assertThat(TopK.select(m, 3, 3, 2, new int[] {1})).containsExactly(2, 0);
    }

    @Test
    void nanRanksLast() {
        float[] s = {Float.NaN, -1e30f, Float.NEGATIVE_INFINITY, 0f};
        assertThat(TopK.select(s, 0, s.length, 4, null)).containsExactly(3, 1, 0, 2);
    }

    @Test
    void matchesAFullSortOnRandomRowsWithManyTies() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int length = 1 + rnd.nextInt(200);
            int offset = rnd.nextInt(5);
            float[] s = new float[offset + length + 3];
            for (int i = 0; i < s.length; i++) s[i] = rnd.nextInt(20) / 4f; // coarse values force ties
            int[] excluded =
                    IntStream.range(0, length).filter(i -> rnd.nextInt(4) == 0).toArray();
            int k = rnd.nextInt(30);

            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < length; i++) if (Arrays.binarySearch(excluded, i) < 0) expected.add(i);
            expected.sort(
                    Comparator.<Integer>comparingDouble(i -> -s[offset + i]).thenComparingInt(i -> i));
            int[] want = expected.stream().limit(k).mapToInt(Integer::intValue).toArray();

            assertThat(TopK.select(s, offset, length, k, excluded))
                    .as("trial %d", trial)
                    .containsExactly(want);
        }
    }
}
