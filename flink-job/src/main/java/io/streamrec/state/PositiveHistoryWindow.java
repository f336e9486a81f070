package io.streamrec.state;

import java.util.Arrays;

/**
 * The user's last N positively rated items, oldest first, as a compact int array (the value kept in keyed state).
 * A re-rated item moves to the newest position instead of appearing twice, so the window always holds N distinct items.
 */
public final class PositiveHistoryWindow {
    private PositiveHistoryWindow() {}

    public static final int[] EMPTY = new int[0];

    /** The window after a positive rating of {@code itemId}; never longer than {@code capacity}. */
    public static int[] append(int[] window, int itemId, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("window capacity must be > 0");
        int[] w = window == null ? EMPTY : window;
        int existing = -1;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == itemId) {
                existing = i;
                break;
            }
        }
        int kept = existing >= 0 ? w.length - 1 : w.length;
        int drop = Math.max(0, kept + 1 - capacity); // oldest entries that no longer fit
        int[] out = new int[kept + 1 - drop];
        int o = 0;
        int skipped = 0;
        for (int i = 0; i < w.length; i++) {
            if (i == existing) continue;
            if (skipped < drop) {
                skipped++;
                continue;
            }
            out[o++] = w[i];
        }
        out[o] = itemId;
        return out;
    }

    /** The window after a non-positive rating of {@code itemId}: a disliked item leaves the positive history. */
    public static int[] remove(int[] window, int itemId) {
        if (window == null) return EMPTY;
        for (int i = 0; i < window.length; i++) {
            if (window[i] == itemId) {
                int[] out = new int[window.length - 1];
                System.arraycopy(window, 0, out, 0, i);
                System.arraycopy(window, i + 1, out, i, window.length - i - 1);
                return out;
            }
        }
        return window;
    }

    public static String toString(int[] window) {
        return Arrays.toString(window);
    }
}
