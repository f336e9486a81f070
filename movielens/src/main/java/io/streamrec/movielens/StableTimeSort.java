package io.streamrec.movielens;

import java.util.Arrays;

/**
 * Computes the stable by-timestamp order of up to {@code Integer.MAX_VALUE} events with primitive arrays only.
 *
 * <p>Stability matters: MovieLens has many ratings in the same second (one user rating a page of films), and their file
 * order is the only order information there is. A comparator sort over boxed indices would cost ~20 bytes per event
 * more and several times the time on ml-25m, so ties are broken by packing the original index into the sort key.
 */
final class StableTimeSort {
    private static final int RADIX_BITS = 11;

    private StableTimeSort() {}

    /** The permutation {@code p} with {@code timestamps[p[0]] <= timestamps[p[1]] <= ...}, equal stamps in index order. */
    static int[] order(long[] timestamps, int n) {
        if (n == 0) {
            return new int[0];
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean wholeSeconds = true;
        for (int i = 0; i < n; i++) {
            long t = timestamps[i];
            if (t < min) min = t;
            if (t > max) max = t;
            if (t % 1000 != 0) wholeSeconds = false;
        }
        // File timestamps are whole seconds; dividing them out usually frees enough bits to pack the index in.
        long divisor = wholeSeconds ? 1000 : 1;
        long range = (max - min) / divisor;
        int keyBits = 64 - Long.numberOfLeadingZeros(range);
        int indexBits = n <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
        if (keyBits + indexBits <= 63) {
            return packedOrder(timestamps, n, min, divisor, indexBits);
        }
        return radixOrder(timestamps, n, min, keyBits);
    }

    /** Key = (time rank << indexBits) | index: unique keys, so an unstable primitive sort gives the stable order. */
    static int[] packedOrder(long[] timestamps, int n, long min, long divisor, int indexBits) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (((timestamps[i] - min) / divisor) << indexBits) | i;
        }
        Arrays.sort(keys);
        long mask = (1L << indexBits) - 1;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] & mask);
        }
        return order;
    }

    /** LSD radix sort, stable by construction; used when timestamps span too many bits to pack the index beside them. */
    static int[] radixOrder(long[] timestamps, int n, long min, int keyBits) {
        long[] keys = new long[n];
        long[] keysTmp = new long[n];
        int[] order = new int[n];
        int[] orderTmp = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = timestamps[i] - min;
            order[i] = i;
        }
        int buckets = 1 << RADIX_BITS;
        int[] count = new int[buckets + 1];
        for (int shift = 0; shift < Math.max(keyBits, 1); shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) ((keys[i] >>> shift) & (buckets - 1)) + 1]++;
            }
            for (int b = 0; b < buckets; b++) {
                count[b + 1] += count[b];
            }
            for (int i = 0; i < n; i++) {
                int pos = count[(int) ((keys[i] >>> shift) & (buckets - 1))]++;
                keysTmp[pos] = keys[i];
                orderTmp[pos] = order[i];
            }
            long[] k = keys;
            keys = keysTmp;
            keysTmp = k;
            int[] o = order;
            order = orderTmp;
            orderTmp = o;
        }
        return order;
    }
}
