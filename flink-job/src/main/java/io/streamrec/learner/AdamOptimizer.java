package io.streamrec.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Adam on the device for the learner's tensors: dense, in place, on a network's flat array (its gradient scaled to a
 * global L2 norm), or lazy on the rows of an embedding table that have a gradient; each group at its learning rate.
 */
final class AdamOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float ADAM_EPS = 1e-8f;

    private final LearnerSettings settings;

    AdamOptimizer(LearnerSettings settings) {
        this.settings = settings;
    }

    /** The factor that scales a gradient of this squared L2 norm down to {@code gradClip} (1: no clipping). */
    float clipScale(float squaredNorm) {
        if (settings.gradClip <= 0) return 1f;
        double norm = Math.sqrt(squaredNorm);
        return norm <= settings.gradClip ? 1f : (float) (settings.gradClip / norm);
    }

    float learningRate(TensorGroup group) {
        return switch (group) {
            case ACTOR -> settings.actorLr;
            case CRITIC -> settings.criticLr;
            case EMBEDDING -> settings.embeddingLr;
        };
    }

    /**
     * Adam (Kingma &amp; Ba) in place, one fused engine call per tensor: {@code θ −= lr·m̂/(√v̂+ε)} on the gradient
     * scaled by the clip factor; the call also zeroes the gradient for the next step.
     */
    static void adam(LearnerTensor p, NDArray grad, float clip, float lr, long t) {
        adam(p, grad, clip, lr, t, p.m, p.v);
    }

    private static void adam(LearnerTensor p, NDArray grad, float clip, float lr, long t, NDArray m, NDArray v) {
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        p.value
                .getNDArrayInternal()
                .adamUpdate(
                        new NDList(p.value, grad, m, v),
                        new NDList(p.value),
                        lr,
                        stepSize,
                        0f,
                        clip,
                        -1f,
                        BETA1,
                        BETA2,
                        ADAM_EPS,
                        false,
                        false);
    }

    /**
     * Lazy Adam on the rows of an embedding table that have a gradient this step (bias correction by the global
     * step): gathers those rows of value, gradient and moments, updates them, writes them back. A dense update would
     * cost the whole table every step, which grows with the catalogue and the user base. {@code rows} are the table's
     * rows at {@code idx} (the step's leaf); the gathered moments are owned by the indices' manager.
     */
    static void adamRows(LearnerTensor p, NDArray rows, NDArray grad, NDArray idx, float lr, long t) {
        if (idx.size() == 0) return;
        NDArray m = LearnerNetworks.embed(idx, p.m);
        NDArray v = LearnerNetworks.embed(idx, p.v);
        adam(new LearnerTensor(p.name, p.group, null, rows), grad, 1f, lr, t, m, v);
        NDIndex at = new NDIndex("{}", idx);
        p.value.set(at, rows);
        p.m.set(at, m);
        p.v.set(at, v);
    }
}
