package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
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
        int[] subs = subStates(state);
        Map<Integer, Float> q = new HashMap<>();
        for (int m : subs) {
            QRow row = rows.get(m);
            if (row == null) continue;
            for (int i = 0; i < row.actions.length; i++) q.merge(row.actions[i], row.values[i] / subs.length, Float::sum);
        }
        return q;
    }

    /** The best {@code n} actions of genre g in state s by Q-value, excluding rated items. */
    public static List<Candidate> best(Rows rows, int[] state, int n, int[] ratedSorted) throws Exception {
        List<Candidate> all = new ArrayList<>();
        values(rows, state).forEach((a, v) -> {
            if (!Scoring.rated(ratedSorted, a)) all.add(new Candidate(a, v));
        });
        all.sort((x, y) -> x.q != y.q ? Float.compare(y.q, x.q) : Integer.compare(x.item, y.item));
        return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
    }

    /** One Q-learning step of one genre's table; returns the TD error. */
    public float learn(Rows rows, int[] state, int action, float rating, boolean positive) throws Exception {
        int[] subs = subStates(state);
        int[] nextState = positive ? next(state, action) : state;
        float max = 0;
        boolean any = false;
        for (float v : values(rows, nextState).values()) {
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
