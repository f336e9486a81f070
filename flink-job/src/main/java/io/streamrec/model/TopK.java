package io.streamrec.model;

/**
 * Partial top-k selection over one row of a score matrix with a bounded min-heap: O(n log k), no boxing, no sort
 * of the row. Order: higher score first, equal scores by lower position; NaN ranks below every number.
 */
public final class TopK {
    private TopK() {}

    /**
     * The positions (0-based within the row) of the {@code k} best scores of {@code scores[offset .. offset+length)},
     * best first, skipping the positions in {@code excludedSorted}. Fewer than {@code k} when fewer remain.
     *
     * @param excludedSorted excluded row positions, ascending (duplicates and out-of-range values are harmless);
     *                       may be null
     */
    public static int[] select(float[] scores, int offset, int length, int k, int[] excludedSorted) {
        return select(scores, offset, length, k, excludedSorted, null);
    }

    /**
     * As {@link #select(float[], int, int, int, int[])}, but equal scores rank by lower {@code tieKeys[position]}
     * (e.g. item ids when the row is not in id order); by lower position when {@code tieKeys} is null.
     */
    public static int[] select(float[] scores, int offset, int length, int k, int[] excludedSorted, int[] tieKeys) {
        if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
        if (offset < 0 || length < 0 || offset + length > scores.length) {
            throw new IndexOutOfBoundsException(
                    "row [" + offset + ", " + (offset + length) + ") outside " + scores.length);
        }
        int[] excluded = excludedSorted == null ? new int[0] : excludedSorted;
        int[] heap = new int[Math.min(k, length)]; // positions; heap[0] is the worst one kept
        if (heap.length == 0) return heap;
        int size = 0;
        int next = 0; // cursor into excluded: both walk the row in ascending order
        float worst = Float.NEGATIVE_INFINITY; // score of heap[0] once the heap is full
        for (int i = 0; i < length; i++) {
            if (size == heap.length) {
                // Fast path for most of the row: not strictly above the worst kept score can never get in, as a
                // tie loses to the kept lower position (and NaN compares false).
                if (tieKeys == null ? !(scores[offset + i] > worst) : !better(scores, offset, tieKeys, i, heap[0]))
                    continue;
            }
            while (next < excluded.length && excluded[next] < i) next++;
            if (next < excluded.length && excluded[next] == i) continue;
            if (size < heap.length) {
                heap[size] = i;
                siftUp(scores, offset, tieKeys, heap, size);
                size++;
            } else {
                heap[0] = i;
                siftDown(scores, offset, tieKeys, heap, size);
            }
            if (size == heap.length && size > 0) worst = value(scores[offset + heap[0]]);
        }
        // Pop the worst repeatedly into the back of the result: best first.
        int[] result = new int[size];
        for (int r = size - 1; r >= 0; r--) {
            result[r] = heap[0];
            size--;
            heap[0] = heap[size];
            siftDown(scores, offset, tieKeys, heap, size);
        }
        return result;
    }

    /** Whether position a ranks above position b. */
    private static boolean better(float[] scores, int offset, int[] tieKeys, int a, int b) {
        float sa = value(scores[offset + a]);
        float sb = value(scores[offset + b]);
        if (sa != sb) return sa > sb;
        return tieKeys == null ? a < b : tieKeys[a] < tieKeys[b];
    }

    /** NaN ranks last, so a broken score never wins a slot silently. */
    private static float value(float score) {
        return score != score ? Float.NEGATIVE_INFINITY : score;
    }

    private static void siftUp(float[] scores, int offset, int[] tieKeys, int[] heap, int i) {
        int x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(scores, offset, tieKeys, heap[parent], x)) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private static void siftDown(float[] scores, int offset, int[] tieKeys, int[] heap, int size) {
        if (size == 0) return;
        int i = 0;
        int x = heap[0];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            int right = child + 1;
            // the worse child goes up
            if (right < size && better(scores, offset, tieKeys, heap[child], heap[right])) child = right;
            if (!better(scores, offset, tieKeys, x, heap[child])) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }
}
