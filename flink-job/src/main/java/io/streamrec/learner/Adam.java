package io.streamrec.learner;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba) over plain float arrays, with its whole state (first and second moments, step count) in this
 * serialisable object so a checkpoint restores it exactly. Dense parameters are updated with {@link #step}; sparse
 * embedding rows with {@link #stepRow} ("lazy" Adam: only rows with a gradient move, their moments keyed by row id,
 * bias correction by the optimizer's global step).
 */
public final class Adam implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float[][] m;
    private final float[][] v;
    private final HashMap<Long, float[]> rowM = new HashMap<>();
    private final HashMap<Long, float[]> rowV = new HashMap<>();
    private long t;

    public Adam(float lr, float[][] shapes) {
        this(lr, 0.9f, 0.999f, 1e-8f, shapes);
    }

    public Adam(float lr, float beta1, float beta2, float eps, float[][] shapes) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        int n = shapes == null ? 0 : shapes.length;
        m = new float[n][];
        v = new float[n][];
        for (int i = 0; i < n; i++) {
            m[i] = new float[shapes[i].length];
            v[i] = new float[shapes[i].length];
        }
    }

    /** Starts a new optimizer step (call once per training step, before the updates of that step). */
    public void tick() {
        t++;
    }

    public long steps() {
        return t;
    }

    /** Updates {@code params[i] -= lr·m̂/(√v̂+ε)} for every array. */
    public void step(float[][] params, float[][] grads) {
        for (int p = 0; p < params.length; p++) update(params[p], 0, grads[p], m[p], v[p]);
    }

    /** Updates one sparse row {@code param[offset .. offset+grad.length)} identified by {@code rowKey}. */
    public void stepRow(long rowKey, float[] param, int offset, float[] grad) {
        float[] mr = rowM.computeIfAbsent(rowKey, k -> new float[grad.length]);
        float[] vr = rowV.computeIfAbsent(rowKey, k -> new float[grad.length]);
        update(param, offset, grad, mr, vr);
    }

    private void update(float[] param, int offset, float[] grad, float[] mm, float[] vv) {
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        for (int i = 0; i < grad.length; i++) {
            float g = grad[i];
            mm[i] = beta1 * mm[i] + (1 - beta1) * g;
            vv[i] = beta2 * vv[i] + (1 - beta2) * g * g;
            param[offset + i] -= stepSize * mm[i] / ((float) Math.sqrt(vv[i]) + eps);
        }
    }

    /** Number of sparse rows with moments. */
    public int rowCount() {
        return rowM.size();
    }

    Map<Long, float[]> rowMoments() {
        return rowM;
    }
}
