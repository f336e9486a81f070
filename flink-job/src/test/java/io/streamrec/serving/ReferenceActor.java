package io.streamrec.serving;

import io.streamrec.model.ActorWeights;
import io.streamrec.state.RecommendationRequest;

/** A plain-Java, double-precision DRR-ave actor forward pass over {@link ActorWeights}: the tests' oracle. */
final class ReferenceActor {
    private final ActorWeights w;
    private final int d;
    private final int h;
    private final int n;

    ReferenceActor(ActorWeights weights) {
        this.w = weights;
        this.d = weights.embeddingDim();
        this.h = weights.hiddenDim();
        this.n = weights.windowSize();
    }

    /** concat(u, u*avg, avg) with avg = sum(mask*pool*e) / max(1, #present), window right-aligned. */
    double[] state(RecommendationRequest req) {
        float[] u = w.userRow(req.userId);
        float[] pool = w.tensor(ActorWeights.POOL);
        int[] window = req.window == null ? new int[0] : req.window;
        int len = Math.min(window.length, n);
        double[] sum = new double[d];
        int present = 0;
        for (int j = 0; j < len; j++) {
            int itemId = window[window.length - len + j];
            int slot = n - len + j;
            int index = w.itemIndexOf(itemId);
            if (index < 0) continue;
            present++;
            float[] e = new float[d];
            w.copyItemRow(index, e, 0);
            for (int c = 0; c < d; c++) sum[c] += pool[slot] * e[c];
        }
        double[] s = new double[3 * d];
        for (int c = 0; c < d; c++) {
            double avg = sum[c] / Math.max(1, present);
            s[c] = u[c];
            s[d + c] = u[c] * avg;
            s[2 * d + c] = avg;
        }
        return s;
    }

    double[] action(RecommendationRequest req) {
        double[] x = state(req);
        x = dense(x, w.tensor(ActorWeights.FC1_WEIGHT), w.tensor(ActorWeights.FC1_BIAS), h, 3 * d);
        relu(x);
        x = dense(x, w.tensor(ActorWeights.FC2_WEIGHT), w.tensor(ActorWeights.FC2_BIAS), h, h);
        relu(x);
        x = dense(x, w.tensor(ActorWeights.FC3_WEIGHT), w.tensor(ActorWeights.FC3_BIAS), d, h);
        for (int i = 0; i < x.length; i++) x[i] = Math.tanh(x[i]);
        return x;
    }

    /** Score of every item (catalogue index order). */
    double[] scores(RecommendationRequest req) {
        double[] a = action(req);
        float[] e = w.itemMatrix();
        double[] scores = new double[w.itemCount()];
        for (int i = 0; i < scores.length; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += a[c] * e[i * d + c];
            scores[i] = s;
        }
        return scores;
    }

    private static double[] dense(double[] x, float[] weight, float[] bias, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = bias[o];
            for (int i = 0; i < in; i++) acc += (double) weight[o * in + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    private static void relu(double[] x) {
        for (int i = 0; i < x.length; i++) x[i] = Math.max(0, x[i]);
    }
}
