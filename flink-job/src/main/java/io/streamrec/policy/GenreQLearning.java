package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.TopK;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tabular Q-learning with one Q-table per genre. In genre g a user's state is the last 3 movies of g they rated
 * positively (the empty state, sub-state 0, before any); each of them is a sub-state, and
 * Q_g(s, a) = mean over sub-states m of s of Q_g(m, a), a = a movie of genre g. A rating (u, a, r) is a transition
 * in each genre of a: reward (r − 3) / 2, s → s' (a appended when positive), and every row of s moves towards
 * the target: Q_g(m, a) += α (reward + γ max_a' Q_g(s', a') − Q_g(s, a)). Only the tables of a's genres change.
 * The rows live behind {@link Rows}, so the same rule runs on a HashMap (offline) and on Flink keyed state (keyed
 * by genre).
 */
public final class GenreQLearning implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String NO_GENRE = "(none)";
    public static final int STATE_SIZE = 3;
    public static final int EMPTY_SUBSTATE = 0;

    /** The rows of one genre's table. */
    public interface Rows {
        QRow get(int subState) throws Exception;

        void put(int subState, QRow row) throws Exception;
    }

    /** One candidate of one genre with its Q-value. */
    public record Candidate(int item, float q) implements Serializable {}

    private final double alpha;
    private final double gamma;

    public GenreQLearning(double alpha, double gamma) {
        this.alpha = alpha;
        this.gamma = gamma;
    }

    /** The genres of an item; {@value #NO_GENRE} when it has none (or is outside the catalogue). */
    public static List<String> genresOf(ItemCatalog catalog, int itemId) {
        int i = catalog.indexOf(itemId);
        List<String> g = i < 0 ? null : catalog.genresAt(i);
        return g == null || g.isEmpty() ? List.of(NO_GENRE) : g;
    }

    /** The genres a user is recommended from: those of the window items and of the triggering item. */
    public static Set<String> userGenres(ItemCatalog catalog, int[] window, int triggerItem) {
        Set<String> out = new LinkedHashSet<>();
        for (int item : window) out.addAll(genresOf(catalog, item));
        if (triggerItem >= 0) out.addAll(genresOf(catalog, triggerItem));
        return out;
    }

    static int[] subStates(int[] state) {
        return state == null || state.length == 0 ? new int[] {EMPTY_SUBSTATE} : state;
    }

    /** The state after a positive rating of {@code item}: the last {@value #STATE_SIZE} liked items of the genre. */
    public static int[] next(int[] state, int item) {
        int[] s = state == null ? new int[0] : state;
        int[] out;
        if (s.length < STATE_SIZE) {
            out = Arrays.copyOf(s, s.length + 1);
        } else {
            out = Arrays.copyOfRange(s, 1, s.length + 1);
        }
        out[out.length - 1] = item;
        return out;
    }

    /** Q(s, ·) for every action any sub-state of s has a value for. */
    public static Map<Integer, Float> values(Rows rows, int[] state) throws Exception {
        ActionValues v = actionValues(rows, state);
        Map<Integer, Float> q = new HashMap<>();
        for (int i = 0; i < v.size; i++) q.put(v.actions[i], v.values[i]);
        return q;
    }

    /** Q(s, ·) as parallel arrays (first {@code size} entries, actions in first-seen order). */
    record ActionValues(int[] actions, float[] values, int size) {}

    /**
     * Q(s, a) = Σ_m Q(m, a) / |s| for every action of any sub-state's row, summed in sub-state order, into primitive
     * arrays through an open-addressing action → slot table (boxed HashMap merges were a third of the genre-Q
     * operator's time in the profile).
     */
    static ActionValues actionValues(Rows rows, int[] state) throws Exception {
        int[] subs = subStates(state);
        QRow[] loaded = new QRow[subs.length];
        int total = 0;
        for (int i = 0; i < subs.length; i++) {
            loaded[i] = rows.get(subs[i]);
            if (loaded[i] != null) total += loaded[i].actions.length;
        }
        if (subs.length == 1) { // one row: its values as they are (x / 1 == x)
            QRow row = loaded[0];
            return row == null
                    ? new ActionValues(new int[0], new float[0], 0)
                    : new ActionValues(row.actions, row.values, row.actions.length);
        }
        int[] actions = new int[total];
        float[] values = new float[total];
        int size = 0;
        int mask = Integer.highestOneBit(Math.max(1, total) * 2) * 2 - 1;
        int[] slots = new int[mask + 1]; // 1 + index into actions, 0 = empty
        for (QRow row : loaded) {
            if (row == null) continue;
            for (int i = 0; i < row.actions.length; i++) {
                int a = row.actions[i];
                int h = (a * 0x9E3779B9) & mask;
                while (slots[h] != 0 && actions[slots[h] - 1] != a) h = (h + 1) & mask;
                float v = row.values[i] / subs.length;
                if (slots[h] == 0) {
                    actions[size] = a;
                    values[size] = v;
                    slots[h] = ++size;
                } else {
                    values[slots[h] - 1] += v;
                }
            }
        }
        return new ActionValues(actions, values, size);
    }

    /**
     * The best {@code n} actions of genre g in state s by Q-value (ties: lower item id first), excluding rated
     * items; a partial top-n with the serving {@link TopK} instead of sorting every action.
     */
    public static List<Candidate> best(Rows rows, int[] state, int n, int[] ratedSorted) throws Exception {
        ActionValues v = actionValues(rows, state);
        int[] actions = new int[v.size];
        float[] values = new float[v.size];
        int m = 0;
        for (int i = 0; i < v.size; i++) {
            if (Scoring.rated(ratedSorted, v.actions[i])) continue;
            actions[m] = v.actions[i];
            values[m++] = v.values[i];
        }
        int[] top = TopK.select(values, 0, m, n, null, actions);
        List<Candidate> out = new ArrayList<>(top.length);
        for (int i : top) out.add(new Candidate(actions[i], values[i]));
        return out;
    }

    /** One Q-learning step of one genre's table; returns the TD error. */
    public float learn(Rows rows, int[] state, int action, float rating, boolean positive) throws Exception {
        int[] subs = subStates(state);
        int[] nextState = positive ? next(state, action) : state;
        float max = 0;
        boolean any = false;
        ActionValues next = actionValues(rows, nextState);
        for (int i = 0; i < next.size; i++) {
            float v = next.values[i];
            if (!any || v > max) max = v;
            any = true;
        }
        float reward = (rating - 3f) / 2f;
        float q = 0;
        QRow[] loaded = new QRow[subs.length];
        for (int i = 0; i < subs.length; i++) {
            loaded[i] = rows.get(subs[i]);
            if (loaded[i] == null) loaded[i] = new QRow();
            q += loaded[i].get(action) / subs.length;
        }
        float td = (float) (reward + gamma * max - q);
        for (int i = 0; i < subs.length; i++) {
            loaded[i].add(action, (float) (alpha * td));
            rows.put(subs[i], loaded[i]);
        }
        return td;
    }
}
