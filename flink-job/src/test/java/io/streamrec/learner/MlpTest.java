package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MlpTest {
    /** loss = Σ c·y for fixed random c; checks backward against central finite differences (in double-ish precision). */
    @Test
    void backwardMatchesFiniteDifferences() {
        for (boolean tanh : new boolean[] {true, false}) {
            Rng rng = new Rng(7);
            Mlp mlp = Mlp.glorot(new int[] {5, 7, 6, 3}, tanh, rng);
            int batch = 4;
            float[] x = new float[batch * 5];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            float[] c = new float[batch * 3];
            for (int i = 0; i < c.length; i++) c[i] = (float) rng.nextGaussian();
            float[][] grads = mlp.zeroGradients();
            float[] dx = mlp.backward(mlp.forward(x, batch), c, grads);
            float[][] params = mlp.parameters();
            float h = 1e-3f;
            for (int p = 0; p < params.length; p++) {
                for (int i = 0; i < params[p].length; i += 3) {
                    float old = params[p][i];
                    params[p][i] = old + h;
                    double up = loss(mlp, x, c, batch);
                    params[p][i] = old - h;
                    double down = loss(mlp, x, c, batch);
                    params[p][i] = old;
                    double numeric = (up - down) / (2 * h);
                    assertThat((double) grads[p][i]).as("param %d[%d] tanh=%s", p, i, tanh)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-2 * Math.max(1, Math.abs(numeric))));
                }
            }
            for (int i = 0; i < x.length; i++) {
                float old = x[i];
                x[i] = old + h;
                double up = loss(mlp, x, c, batch);
                x[i] = old - h;
                double down = loss(mlp, x, c, batch);
                x[i] = old;
                assertThat((double) dx[i]).isCloseTo((up - down) / (2 * h),
                        org.assertj.core.data.Offset.offset(2e-2));
            }
        }
    }

    private static double loss(Mlp mlp, float[] x, float[] c, int batch) {
        float[] y = mlp.forward(x, batch).output();
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) c[i] * y[i];
        return s;
    }

    @Test
    void softUpdateMovesTargetsByTau() {
        Mlp a = Mlp.glorot(new int[] {2, 2}, false, new Rng(1));
        Mlp b = Mlp.glorot(new int[] {2, 2}, false, new Rng(2));
        float before = b.weights[0][0];
        a.softUpdateInto(b, 0.25f);
        assertThat(b.weights[0][0]).isCloseTo(0.25f * a.weights[0][0] + 0.75f * before,
                org.assertj.core.data.Offset.offset(1e-6f));
    }
}
