package io.streamrec.learner;

import io.streamrec.model.ActorWeights;
import java.util.Arrays;

/**
 * The catalogue as the learner indexes it: the item ids in catalogue index order (ascending, the rows of the item
 * embedding matrix), item ids mapped to indices, and windows of item ids mapped to the state's N slots.
 */
final class ItemCatalogue {
    private final int[] itemIds;
    private final int n;

    ItemCatalogue(ActorWeights initial) {
        this.itemIds = new int[initial.itemCount()];
        for (int i = 0; i < itemIds.length; i++) itemIds[i] = initial.itemIdAt(i);
        this.n = initial.windowSize();
    }

    /** The number of items. */
    int size() {
        return itemIds.length;
    }

    /** The item ids in index order (the learner's own array: not to be modified). */
    int[] ids() {
        return itemIds;
    }

    /** The catalogue index of an item, or -1 for an item outside the catalogue. */
    int indexOf(int itemId) {
        int i = Arrays.binarySearch(itemIds, itemId);
        return i >= 0 ? i : -1;
    }

    /** Right-aligns the window's newest N items into slots (row index, mask 1); empty or unknown slots masked. */
    void fillWindow(int[] window, long[] slots, float[] mask, int off) {
        int len = Math.min(window.length, n);
        for (int j = 0; j < len; j++) {
            int index = indexOf(window[window.length - len + j]);
            if (index < 0) continue;
            slots[off + n - len + j] = index;
            mask[off + n - len + j] = 1f;
        }
    }
}
