package io.streamrec.state;

import java.util.Arrays;

/**
 * The set of items a user has rated, as a sorted int array: 4 bytes an item in keyed state, binary-searchable,
 * and directly usable as the exclusion list of top-k selection.
 */
public final class RatedItemSet {
    private RatedItemSet() {}

    /** The set with {@code itemId} added; the same array when it was already present. */
    public static int[] add(int[] sorted, int itemId) {
        if (sorted == null) return new int[] {itemId};
        int pos = Arrays.binarySearch(sorted, itemId);
        if (pos >= 0) return sorted;
        int ins = -pos - 1;
        int[] out = new int[sorted.length + 1];
        System.arraycopy(sorted, 0, out, 0, ins);
        out[ins] = itemId;
        System.arraycopy(sorted, ins, out, ins + 1, sorted.length - ins);
        return out;
    }

    public static boolean contains(int[] sorted, int itemId) {
        return sorted != null && Arrays.binarySearch(sorted, itemId) >= 0;
    }
}
