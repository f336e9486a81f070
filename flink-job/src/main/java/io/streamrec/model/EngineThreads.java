package io.streamrec.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the PyTorch intra-op thread pool of this JVM. Every actor subtask already has its own inference thread, so a
 * pool as wide as the machine on top of that oversubscribes the cores (batches measured 10× slower on a busy
 * 2-core host). The setting is process-wide; threads started afterwards (the inference threads) inherit it. The
 * learner's thread calls it too, as it may have started before the actor's.
 */
public final class EngineThreads {
    private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);

    private EngineThreads() {}

    /** {@code threads} > 0 caps the pool; 0 leaves the engine default (all cores). */
    public static synchronized void configure(int threads) {
        if (threads <= 0) return;
        Engine engine = Engine.getInstance(); // loads the native library first
        if (!"PyTorch".equals(engine.getEngineName())) {
            LOG.warn("engine {} is not PyTorch: intra-op threads left at its default", engine.getEngineName());
            return;
        }
        JniUtils.setNumThreads(threads);
    }

    /**
     * Turns autograd recording off on the calling thread (PyTorch keeps the mode per thread and a new thread starts
     * with it on): in-place updates of trainable arrays outside a GradientCollector need it off. A GradientCollector
     * turns it on for its scope.
     */
    public static void disableGradients() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) JniUtils.setGradMode(false);
    }
}
