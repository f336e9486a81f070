package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import java.util.Arrays;

/**
 * What the softmax-over-the-catalogue policies ({@link ReinforceTopKPolicy}, {@link SlateQPolicy}) share: a state as
 * the mean of learned item embeddings over the user's window, one linear score per item, and the softmax.
 */
final class ItemEmbeddings {
    private ItemEmbeddings() {}

    /** The catalogue rows of the window's items, in window order (ids outside the catalogue dropped). */
    static int[] rows(ItemCatalog catalog, int[] window) {
        return Scoring.excludedIndexes(catalog, window);
    }

    /** The window before the event: without the event's item, which ends the window when it was liked. */
    static int[] windowBefore(int[] window, int triggerItemId) {
        if (window != null && window.length > 0 && window[window.length - 1] == triggerItemId)
            return Arrays.copyOf(window, window.length - 1);
        return window;
    }

    /** The mean of {@code input}'s rows (each {@code dim} wide) at {@code rows}; zeros for an empty window. */
    static float[] meanState(float[] input, int[] rows, int dim) {
        float[] s = new float[dim];
        for (int j : rows) for (int f = 0; f < dim; f++) s[f] += input[j * dim + f];
        if (rows.length > 0) for (int f = 0; f < dim; f++) s[f] /= rows.length;
        return s;
    }

    /** s·w_i + b_i for every item i. */
    static float[] logits(float[] s, float[] weights, float[] bias) {
        int dim = s.length;
        float[] out = new float[bias.length];
        for (int i = 0; i < out.length; i++) {
            float v = bias[i];
            for (int f = 0, o = i * dim; f < dim; f++) v += s[f] * weights[o + f];
            out[i] = v;
        }
        return out;
    }

    static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= (float) sum;
        return p;
    }

    /** One-step ascent of maximum likelihood of item {@code a} under softmax(s·w + b); no gradient into s. */
    static void fitChoice(float[] s, float[] weights, float[] bias, int a, float lr) {
        float[] p = softmax(logits(s, weights, bias));
        int dim = s.length;
        for (int i = 0; i < p.length; i++) {
            float g = lr * ((i == a ? 1f : 0f) - p[i]);
            for (int f = 0, o = i * dim; f < dim; f++) weights[o + f] += g * s[f];
            bias[i] += g;
        }
    }

    static float[] gaussian(java.util.Random rnd, int size, double scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }
}
