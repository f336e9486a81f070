package io.streamrec.learner;

import java.io.Serializable;

/**
 * A multilayer perceptron whose parameters are Java float arrays, with an explicit backward pass: Linear layers
 * ({@code y = x·Wᵀ + b}, W row-major {@code [out, in]} as in PyTorch), ReLU between them, and an optional tanh on the
 * output. Batches are row-major {@code [B, in]}.
 *
 * <p>The parameters always live in these Java arrays, so that every parameter and every optimizer moment is
 * checkpointed bit-exactly and updated in place by {@link Adam} and {@link #softUpdateInto}. The dense math runs on the
 * {@link MlpBackend}: PyTorch through DJL ({@link TorchMlpMath}), or the hand-written loops here (the reference the
 * torch path and the gradient checks are tested against). Not thread-safe.
 */
public final class Mlp implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] sizes;
    final boolean tanhOutput;
    /** weights[l]: [sizes[l+1] × sizes[l]]; biases[l]: [sizes[l+1]]. */
    final float[][] weights;
    final float[][] biases;
    /** Null in snapshots written before backends existed: those compute in Java, as they did. */
    private MlpBackend backend;

    /** An MLP on the Java reference backend. */
    public Mlp(int[] sizes, boolean tanhOutput, float[][] weights, float[][] biases) {
        this(sizes, tanhOutput, weights, biases, MlpBackend.JAVA);
    }

    public Mlp(int[] sizes, boolean tanhOutput, float[][] weights, float[][] biases, MlpBackend backend) {
        this.sizes = sizes.clone();
        this.tanhOutput = tanhOutput;
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.weights = new float[sizes.length - 1][];
        this.biases = new float[sizes.length - 1][];
        for (int l = 0; l < sizes.length - 1; l++) {
            if (weights[l].length != sizes[l + 1] * sizes[l] || biases[l].length != sizes[l + 1]) {
                throw new IllegalArgumentException("layer " + l + " has the wrong shape");
            }
            this.weights[l] = weights[l].clone();
            this.biases[l] = biases[l].clone();
        }
    }

    /** Glorot-uniform weights from {@code rng}, zero biases. */
    public static Mlp glorot(int[] sizes, boolean tanhOutput, Rng rng) {
        float[][] w = new float[sizes.length - 1][];
        float[][] b = new float[sizes.length - 1][];
        for (int l = 0; l < sizes.length - 1; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            w[l] = new float[in * out];
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            b[l] = new float[out];
        }
        return new Mlp(sizes, tanhOutput, w, b);
    }

    public Mlp copy() {
        return withBackend(backend());
    }

    /** A copy (parameters cloned) that computes on {@code other}. */
    public Mlp withBackend(MlpBackend other) {
        return new Mlp(sizes, tanhOutput, weights, biases, other);
    }

    public MlpBackend backend() {
        return backend == null ? MlpBackend.JAVA : backend;
    }

    /** Computes on {@code other} from now on; a {@link Cache} from before must not be passed to {@link #backward}. */
    void computeOn(MlpBackend other) {
        this.backend = java.util.Objects.requireNonNull(other, "backend");
    }

    public int layers() {
        return weights.length;
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Every parameter array in a fixed order: w0, b0, w1, b1, ... (live references). */
    public float[][] parameters() {
        float[][] p = new float[2 * weights.length][];
        for (int l = 0; l < weights.length; l++) {
            p[2 * l] = weights[l];
            p[2 * l + 1] = biases[l];
        }
        return p;
    }

    /** Zeroed arrays shaped like {@link #parameters()}. */
    public float[][] zeroGradients() {
        float[][] p = parameters();
        float[][] g = new float[p.length][];
        for (int i = 0; i < p.length; i++) g[i] = new float[p[i].length];
        return g;
    }

    /**
     * Activations of one forward pass, kept for {@link #backward}. acts[0] is the input, acts[L] the output; the
     * hidden ones only on the Java backend (the torch backend recomputes them).
     */
    public static final class Cache {
        final float[][] acts;
        final int batch;

        Cache(float[][] acts, int batch) {
            this.acts = acts;
            this.batch = batch;
        }

        public float[] output() {
            return acts[acts.length - 1];
        }
    }

    /** The outputs for {@code x} ([B × in]); the cache feeds {@link #backward} of this Mlp. */
    public Cache forward(float[] x, int batch) {
        if (x.length != batch * sizes[0]) throw new IllegalArgumentException("input has the wrong size");
        return backend() == MlpBackend.TORCH ? TorchMlpMath.forward(this, x, batch) : javaForward(x, batch);
    }

    private Cache javaForward(float[] x, int batch) {
        float[][] acts = new float[weights.length + 1][];
        acts[0] = x;
        for (int l = 0; l < weights.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] w = weights[l];
            float[] bias = biases[l];
            float[] src = acts[l];
            float[] y = new float[batch * out];
            boolean last = l == weights.length - 1;
            for (int b = 0; b < batch; b++) {
                int xo = b * in;
                for (int o = 0; o < out; o++) {
                    int wo = o * in;
                    // Four partial sums: independent chains the CPU can overlap (a single FP reduction cannot).
                    float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
                    int i = 0;
                    for (; i + 3 < in; i += 4) {
                        a0 += src[xo + i] * w[wo + i];
                        a1 += src[xo + i + 1] * w[wo + i + 1];
                        a2 += src[xo + i + 2] * w[wo + i + 2];
                        a3 += src[xo + i + 3] * w[wo + i + 3];
                    }
                    for (; i < in; i++) a0 += src[xo + i] * w[wo + i];
                    float acc = (a0 + a1) + (a2 + a3) + bias[o];
                    if (!last) acc = acc <= 0f ? 0f : acc; // NaN stays NaN: the learner's guard must see it
                    else if (tanhOutput) acc = (float) Math.tanh(acc);
                    y[b * out + o] = acc;
                }
            }
            acts[l + 1] = y;
        }
        return new Cache(acts, batch);
    }

    /**
     * Back-propagates {@code dOut} ([B × out], the loss gradient w.r.t. the output after its activation).
     *
     * @param grads accumulates parameter gradients (shaped like {@link #parameters()}); null skips them
     * @return the gradient w.r.t. the input, [B × in]
     */
    public float[] backward(Cache cache, float[] dOut, float[][] grads) {
        if (dOut.length != cache.batch * outputSize()) throw new IllegalArgumentException("dOut has the wrong size");
        return backend() == MlpBackend.TORCH ? TorchMlpMath.backward(this, cache, dOut, grads)
                : javaBackward(cache, dOut, grads);
    }

    private float[] javaBackward(Cache cache, float[] dOut, float[][] grads) {
        int batch = cache.batch;
        float[] dy = dOut.clone();
        for (int l = weights.length - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] y = cache.acts[l + 1];
            boolean last = l == weights.length - 1;
            // Through the activation.
            if (!last) {
                for (int i = 0; i < dy.length; i++) if (y[i] <= 0f) dy[i] = 0f;
            } else if (tanhOutput) {
                for (int i = 0; i < dy.length; i++) dy[i] *= 1f - y[i] * y[i];
            }
            float[] x = cache.acts[l];
            float[] w = weights[l];
            if (grads != null) {
                float[] gw = grads[2 * l];
                float[] gb = grads[2 * l + 1];
                for (int b = 0; b < batch; b++) {
                    int xo = b * in;
                    for (int o = 0; o < out; o++) {
                        float g = dy[b * out + o];
                        if (g == 0f) continue;
                        gb[o] += g;
                        int wo = o * in;
                        for (int i = 0; i < in; i++) gw[wo + i] += g * x[xo + i];
                    }
                }
            }
            float[] dx = new float[batch * in];
            for (int b = 0; b < batch; b++) {
                int xo = b * in;
                for (int o = 0; o < out; o++) {
                    float g = dy[b * out + o];
                    if (g == 0f) continue;
                    int wo = o * in;
                    for (int i = 0; i < in; i++) dx[xo + i] += g * w[wo + i];
                }
            }
            dy = dx;
        }
        return dy;
    }

    /** target ← τ·this + (1−τ)·target, parameter by parameter. */
    public void softUpdateInto(Mlp target, float tau) {
        float[][] src = parameters();
        float[][] dst = target.parameters();
        for (int p = 0; p < src.length; p++) {
            for (int i = 0; i < src[p].length; i++) dst[p][i] = tau * src[p][i] + (1 - tau) * dst[p][i];
        }
    }
}
