package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.TopK;
import java.util.Arrays;

/** Helpers shared by the score-every-item policies: exclusion of rated items and top-k over a dense score row. */
public final class Scoring {
    private Scoring() {}

    /**
     * The catalogue indexes of the given item ids, in their order (ids outside the catalogue dropped): ascending for
     * the sorted rated items.
     */
    public static int[] excludedIndexes(ItemCatalog catalog, int[] ratedItemsSorted) {
        if (ratedItemsSorted == null) return new int[0];
        int[] out = new int[ratedItemsSorted.length];
        int n = 0;
        for (int id : ratedItemsSorted) {
            int i = catalog.indexOf(id);
            if (i >= 0) out[n++] = i;
        }
        return Arrays.copyOf(out, n); // ids ascending → indexes ascending
    }

    /** The k best-scoring items not rated by the user. */
    public static Slate topK(ItemCatalog catalog, float[] scores, int k, int[] ratedItemsSorted) {
        return slateOf(
                catalog, scores, TopK.select(scores, 0, scores.length, k, excludedIndexes(catalog, ratedItemsSorted)));
    }

    /** The items at catalogue indexes {@code positions} (best first) with their scores. */
    static Slate slateOf(ItemCatalog catalog, float[] scores, int[] positions) {
        int[] ids = new int[positions.length];
        float[] s = new float[positions.length];
        for (int i = 0; i < positions.length; i++) {
            ids[i] = catalog.itemIdAt(positions[i]);
            s[i] = scores[positions[i]];
        }
        return Slate.of(ids, s);
    }

    public static boolean rated(int[] ratedItemsSorted, int itemId) {
        return ratedItemsSorted != null && Arrays.binarySearch(ratedItemsSorted, itemId) >= 0;
    }
}
