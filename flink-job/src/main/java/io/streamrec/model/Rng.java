package io.streamrec.model;

import java.io.Serializable;

/**
 * SplitMix64: a tiny seeded PRNG whose whole state is one {@code long}, so it is checkpointed exactly with the learner
 * (java.util.SplittableRandom is not serialisable). Not for cryptography.
 */
public final class Rng implements Serializable {
    private static final long serialVersionUID = 1L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be > 0, got " + bound);
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Standard normal (Box-Muller, one value per call). */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    public long state() {
        return state;
    }

    /** Continues from a {@link #state()} taken earlier. */
    public void setState(long state) {
        this.state = state;
    }

    public Rng copy() {
        return new Rng(state);
    }
}
