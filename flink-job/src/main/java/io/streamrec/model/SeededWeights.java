package io.streamrec.model;

import io.streamrec.catalog.ItemCatalog;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded version 0 of the actor, which serving and the learner both start from: every value drawn from a
 * stream keyed by (seed, tensor or item id), so it depends on nothing else — not the engine's RNG, not the JVM, not
 * the catalogue's other items.
 */
final class SeededWeights {
    // Salts separate the random streams, so e.g. layer 1 and item 1 never share one.
    private static final long SALT_TENSOR = 0x5445_4E53_4F52L; // "TENSOR"
    private static final long SALT_ITEM = 0x4954_454DL; // "ITEM"

    private SeededWeights() {}

    /**
     * Version 0: a deterministic initialisation from {@code settings.seed()} that depends on nothing else (not the
     * engine's RNG, not the JVM): Glorot-uniform Linear weights, zero biases, pooling weights 1 (a plain average to
     * start with), and every embedding row drawn from the same distribution as the cold-start user rows.
     */
    static ActorWeights create(ModelShape settings, ItemCatalog catalog) {
        int d = settings.embeddingDim();
        int h = settings.hiddenDim();
        int n = settings.windowSize();
        long seed = settings.seed();
        Map<String, float[]> tensors = new LinkedHashMap<>();
        float[] pool = new float[n];
        Arrays.fill(pool, 1f);
        tensors.put(ActorWeights.POOL, pool);
        tensors.put(
                ActorWeights.FC1_WEIGHT,
                glorot(seed, 1, h, settings.stateRepresentation().stateDim(d, n)));
        tensors.put(ActorWeights.FC1_BIAS, new float[h]);
        tensors.put(ActorWeights.FC2_WEIGHT, glorot(seed, 2, h, h));
        tensors.put(ActorWeights.FC2_BIAS, new float[h]);
        tensors.put(ActorWeights.FC3_WEIGHT, glorot(seed, 3, d, h));
        tensors.put(ActorWeights.FC3_BIAS, new float[d]);

        int items = catalog.size();
        int[] ids = new int[items];
        float[] matrix = new float[items * d];
        for (int i = 0; i < items; i++) {
            ids[i] = catalog.itemIdAt(i);
            // Keyed by item id, not index: adding an item to the catalogue leaves every other row unchanged.
            embeddingRow(seed, SALT_ITEM, ids[i], d, matrix, i * d);
        }
        return new ActorWeights(0, seed, d, h, n, settings.stateRepresentation(), tensors, ids, matrix, Map.of());
    }

    // Uniform(±sqrt(3/d)): each entry has variance 1/d, so a row has about unit norm whatever the catalogue size
    // (Glorot on the whole [I×d] matrix would shrink rows as the catalogue grows).
    private static void embeddingRow(long seed, long salt, int id, int d, float[] dst, int offset) {
        SplittableRandom rnd = new SplittableRandom(streamSeed(seed, salt, id));
        double limit = Math.sqrt(3.0 / d);
        for (int j = 0; j < d; j++) dst[offset + j] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
    }

    private static float[] glorot(long seed, int layer, int out, int in) {
        SplittableRandom rnd = new SplittableRandom(streamSeed(seed, SALT_TENSOR, layer));
        double limit = Math.sqrt(6.0 / (in + out));
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        return w;
    }

    private static long streamSeed(long seed, long salt, long id) {
        return mix64(mix64(seed ^ mix64(salt)) + id * 0x9E3779B97F4A7C15L);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
