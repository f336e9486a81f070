package io.streamrec.policy;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts per non-negative int key in open addressing (linear probing), without boxing: one item's co-occurrence
 * row of {@link ItemKnnPolicy}. Iterate with {@link #capacity}, {@link #keyAt} (-1 = empty slot) and
 * {@link #countAt}.
 */
final class IntCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private int[] keys = emptyKeys(8);
    private int[] counts = new int[8];
    private int size;

    private static int[] emptyKeys(int n) {
        int[] k = new int[n];
        Arrays.fill(k, -1);
        return k;
    }

    private static int slot(int[] keys, int key) {
        int mask = keys.length - 1;
        int h = (key * 0x9E3779B9) >>> 7 & mask;
        while (keys[h] != -1 && keys[h] != key) h = (h + 1) & mask;
        return h;
    }

    /** Adds one to {@code key}'s count. */
    void increment(int key) {
        add(key, 1);
    }

    /** Adds {@code amount} to {@code key}'s count. */
    void add(int key, int amount) {
        if (key < 0) throw new IllegalArgumentException("key must be >= 0, got " + key);
        int h = slot(keys, key);
        if (keys[h] == -1) {
            if ((size + 1) * 2 > keys.length) {
                grow();
                h = slot(keys, key);
            }
            keys[h] = key;
            size++;
        }
        counts[h] += amount;
    }

    /** The count of {@code key}, 0 when absent. */
    int get(int key) {
        int h = slot(keys, key);
        return keys[h] == key ? counts[h] : 0;
    }

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    int keyAt(int slot) {
        return keys[slot];
    }

    int countAt(int slot) {
        return counts[slot];
    }

    private void grow() {
        int[] oldKeys = keys, oldCounts = counts;
        keys = emptyKeys(oldKeys.length * 2);
        counts = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] == -1) continue;
            int h = slot(keys, oldKeys[i]);
            keys[h] = oldKeys[i];
            counts[h] = oldCounts[i];
        }
    }
}
