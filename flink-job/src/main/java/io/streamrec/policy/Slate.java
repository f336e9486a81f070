package io.streamrec.policy;

import java.io.Serializable;

/** A ranked list of item ids with the policy's scores, best first. */
public record Slate(int[] items, float[] scores) implements Serializable {
    public static Slate of(int[] items, float[] scores) {
        return new Slate(items, scores);
    }
}
