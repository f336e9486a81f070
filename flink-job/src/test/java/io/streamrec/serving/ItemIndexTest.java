package io.streamrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemIndexTest {
    private static final int DIM = 32;

    /**
     * Embeddings shaped like learned ones (items around a few dozen taste clusters, uneven norms, as popular items'
     * rows grow) and actions in [−1, 1]^d, as the actor's tanh gives them.
     */
    private static float[] items(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int clusters = 40;
        float[] centres = new float[clusters * DIM];
        for (int i = 0; i < centres.length; i++) centres[i] = (float) (r.nextGaussian() * 0.5);
        float[] m = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(clusters);
            double norm = 0.5 + r.nextDouble() * 1.5;
            for (int j = 0; j < DIM; j++)
                m[i * DIM + j] = (float) (norm * (centres[c * DIM + j] + r.nextGaussian() * 0.3));
        }
        return m;
    }

    private static float[] actions(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] q = new float[n * DIM];
        for (int i = 0; i < q.length; i++) q[i] = (float) Math.tanh(r.nextGaussian());
        return q;
    }

    @Test
    void findsNearlyAllOfTheExactTop100() {
        int n = 12_000;
        float[] m = items(n, 1);
        // M 32, efConstruction 200, beam 400: 0.97 here; M 16 / efConstruction 100 / beam 200 found 0.84
        ItemIndex index = ItemIndex.build(m, n, DIM, 32, 200, 42);
        double recall = index.recall(m, actions(40, 2), 100, 400);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        // and a beam no wider than the answer finds less: the beam is what buys the recall
        assertThat(index.recall(m, actions(40, 2), 100, 100)).isLessThanOrEqualTo(recall);
    }

    @Test
    void candidatesComeBestFirstByTheExactProduct() {
        int n = 3_000;
        float[] m = items(n, 3);
        float[] q = actions(1, 4);
        int[] c = ItemIndex.build(m, n, DIM, 16, 100, 42).candidates(q, 0, 50, 100);
        assertThat(c).hasSize(50).doesNotHaveDuplicates();
        for (int i = 1; i < c.length; i++) assertThat(dot(m, c[i - 1], q)).isGreaterThanOrEqualTo(dot(m, c[i], q));
        int[] exact = ItemIndex.exactTop(m, n, DIM, q, 0, 1);
        assertThat(c[0]).isEqualTo(exact[0]);
    }

    @Test
    void theSameSeedBuildsTheSameIndex() {
        int n = 4_000;
        float[] m = items(n, 5);
        float[] q = actions(20, 6);
        ItemIndex a = ItemIndex.build(m, n, DIM, 8, 40, 7);
        ItemIndex b = ItemIndex.build(m, n, DIM, 8, 40, 7);
        for (int i = 0; i < 20; i++)
            assertThat(a.candidates(q, i * DIM, 100, 100)).isEqualTo(b.candidates(q, i * DIM, 100, 100));
    }

    @Test
    void rejectsBrokenEmbeddings() {
        float[] m = items(10, 8);
        m[5] = Float.NaN;
        assertThatThrownBy(() -> ItemIndex.build(m, 10, DIM, 8, 40, 1)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> ItemIndex.build(new float[10], 3, DIM, 8, 40, 1))
                .hasMessageContaining("holds 10 values");
    }

    private static float dot(float[] m, int row, float[] q) {
        float s = 0;
        for (int j = 0; j < DIM; j++) s += m[row * DIM + j] * q[j];
        return s;
    }
}
