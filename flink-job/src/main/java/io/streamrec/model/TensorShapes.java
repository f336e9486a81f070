package io.streamrec.model;

/** The shapes of the actor's dense tensors, and the checks every decoded or built tensor passes. */
final class TensorShapes {
    private TensorShapes() {}

    /** Shape of a named dense tensor; only {@link ActorWeights#FC1_WEIGHT} depends on the representation: [h, stateDim]. */
    static int[] tensorShape(String name, int d, int h, int n, StateRepresentation rep) {
        return switch (name) {
            case ActorWeights.POOL -> new int[] {n};
            case ActorWeights.FC1_WEIGHT -> new int[] {h, rep.stateDim(d, n)};
            case ActorWeights.FC1_BIAS, ActorWeights.FC2_BIAS -> new int[] {h};
            case ActorWeights.FC2_WEIGHT -> new int[] {h, h};
            case ActorWeights.FC3_WEIGHT -> new int[] {d, h};
            case ActorWeights.FC3_BIAS -> new int[] {d};
            default ->
                throw new IllegalArgumentException(
                        "unknown tensor '" + name + "', expected " + ActorWeights.TENSOR_NAMES);
        };
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    static void requireLength(String what, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(what + " has " + values.length + " values, expected " + expected);
        }
    }

    static void requireFinite(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " holds a non-finite value " + values[i] + " at index " + i);
            }
        }
    }
}
