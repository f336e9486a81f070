package io.streamrec.learner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per user, the catalogue indices of the items the learner has seen them rate positively (windows and horizon
 * positives of observed transitions), each user's as a sorted array (no boxing, ~4 bytes an item): no negatives of
 * the softmax term — a rated item cannot be recommended, so treating it as one would push the user's own taste down.
 */
final class SeenItems {
    static final int[] NONE = new int[0];

    private final HashMap<Integer, int[]> byUser = new HashMap<>();
    private final ItemCatalogue catalogue;

    SeenItems(ItemCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Adds items (ids) to the user's seen set; items outside the catalogue are ignored. */
    void remember(int userId, int[] itemIds) {
        if (itemIds == null || itemIds.length == 0) return;
        int[] seen = byUser.getOrDefault(userId, NONE);
        for (int id : itemIds) {
            int idx = catalogue.indexOf(id);
            if (idx >= 0 && Arrays.binarySearch(seen, idx) < 0) seen = withItem(seen, idx);
        }
        byUser.put(userId, seen);
    }

    /** The user's seen items (sorted catalogue indices; empty for an unknown user). Not to be modified. */
    int[] of(int userId) {
        return byUser.getOrDefault(userId, NONE);
    }

    /** {@code sorted} with {@code idx} (absent from it) inserted in order, as a new array. */
    static int[] withItem(int[] sorted, int idx) {
        int ins = -Arrays.binarySearch(sorted, idx) - 1;
        int[] out = new int[sorted.length + 1];
        System.arraycopy(sorted, 0, out, 0, ins);
        out[ins] = idx;
        System.arraycopy(sorted, ins, out, ins + 1, sorted.length - ins);
        return out;
    }

    /** The number of users with seen items. */
    int users() {
        return byUser.size();
    }

    /** Every user's seen items, in the map's iteration order (for the snapshot). */
    Set<Map.Entry<Integer, int[]>> entries() {
        return byUser.entrySet();
    }

    /** Adds restored seen sets (for restore). */
    void putAll(Map<Integer, int[]> seen) {
        byUser.putAll(seen);
    }
}
