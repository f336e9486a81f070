package io.streamrec.learner;

import java.util.Locale;

/**
 * Where an {@link Mlp} computes its forward and backward passes. The parameters always live in the Mlp's Java arrays
 * (so checkpoints, Adam moments and soft target updates do not depend on the backend); only the dense math moves.
 */
public enum MlpBackend {
    /** PyTorch through DJL ({@link TorchMlpMath}): the default, several times faster at the DRR paper's sizes. */
    TORCH,
    /** The hand-written reference loops in {@link Mlp}: the oracle of the gradient checks and of the torch backend. */
    JAVA;

    /** The backend named by the configuration value {@code torch} or {@code java} (case-insensitive). */
    public static MlpBackend of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "torch" -> TORCH;
            case "java" -> JAVA;
            default -> throw new IllegalArgumentException("learner backend must be torch or java, got '" + name + "'");
        };
    }

    /** The configuration value of this backend. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
