package io.streamrec.learner;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

/**
 * The forward and backward passes of an {@link Mlp} computed by PyTorch through DJL. Every call uploads the Java
 * parameters and the batch into a short-lived sub-manager and downloads the results, so no native memory outlives the
 * call and the canonical state stays in Java. The backward pass re-runs the forward pass under a GradientCollector
 * (autograd needs the graph, which a closed forward manager no longer holds) and seeds it with the upstream gradient.
 */
final class TorchMlpMath {
    /**
     * Serialises backward passes JVM-wide: DJL's PyTorch engine allows one active GradientCollector per JVM (a second
     * one throws), and several learners (tests, offline evaluation beside a job) may share a JVM. Serving never
     * collects gradients, so it is not slowed by this lock.
     */
    private static final Object GRADIENT_COLLECTOR_LOCK = new Object();

    private TorchMlpMath() {}

    /** Lazily created, so that the Java backend never loads the native engine. */
    private static final class Root {
        static final NDManager MANAGER = NDManager.newBaseManager();
    }

    /** Forward pass; the cache keeps the input and the output (backward recomputes the rest). */
    static Mlp.Cache forward(Mlp mlp, float[] x, int batch) {
        int layers = mlp.layers();
        float[][] acts = new float[layers + 1][];
        acts[0] = x;
        try (NDManager m = Root.MANAGER.newSubManager()) {
            NDArray[] params = upload(m, mlp);
            acts[layers] = run(mlp, m.create(x, new Shape(batch, mlp.inputSize())), params).toFloatArray();
        }
        return new Mlp.Cache(acts, batch);
    }

    /**
     * Backward pass of {@code dOut} (gradient w.r.t. the output); parameter gradients are added into {@code grads}
     * (skipped, and not computed, when null). Returns the gradient w.r.t. the input.
     */
    static float[] backward(Mlp mlp, Mlp.Cache cache, float[] dOut, float[][] grads) {
        int batch = cache.batch;
        synchronized (GRADIENT_COLLECTOR_LOCK) {
            try (NDManager m = Root.MANAGER.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray[] params = upload(m, mlp);
                if (grads != null) for (NDArray p : params) p.setRequiresGradient(true);
                NDArray x = m.create(cache.acts[0], new Shape(batch, mlp.inputSize()));
                x.setRequiresGradient(true);
                NDArray out = run(mlp, x, params);
                // d(sum(out ⊙ dOut))/dθ = Σ dOut·∂out/∂θ: the gradients for the upstream gradient dOut.
                collector.backward(out.mul(m.create(dOut, out.getShape())));
                if (grads != null) {
                    for (int p = 0; p < params.length; p++) {
                        float[] g = params[p].getGradient().toFloatArray();
                        float[] acc = grads[p];
                        for (int i = 0; i < acc.length; i++) acc[i] += g[i];
                    }
                }
                return x.getGradient().toFloatArray();
            }
        }
    }

    /** w0, b0, w1, b1, ... as NDArrays of {@code m}, weights shaped [out, in] as {@link Linear#linear} expects. */
    private static NDArray[] upload(NDManager m, Mlp mlp) {
        float[][] p = mlp.parameters();
        NDArray[] out = new NDArray[p.length];
        for (int l = 0; l < mlp.layers(); l++) {
            out[2 * l] = m.create(p[2 * l], new Shape(mlp.sizes[l + 1], mlp.sizes[l]));
            out[2 * l + 1] = m.create(p[2 * l + 1], new Shape(mlp.sizes[l + 1]));
        }
        return out;
    }

    private static NDArray run(Mlp mlp, NDArray x, NDArray[] params) {
        NDArray h = x;
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            h = Linear.linear(h, params[2 * l], params[2 * l + 1]).singletonOrThrow();
            if (l < layers - 1) h = Activation.relu(h);
            else if (mlp.tanhOutput) h = h.tanh();
        }
        return h;
    }
}
