package io.streamrec.policy;

import java.util.Arrays;

/**
 * One row of a genre's Q-table: the action values Q(m, a) of one sub-state m (a previously liked movie of the
 * genre) for the actions (recommended movies) seen so far. A Flink POJO, stored as a value of keyed MapState.
 */
public class QRow implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public int[] actions = new int[0];
    public float[] values = new float[0];

    public QRow() {}

    public float get(int action) {
        for (int i = 0; i < actions.length; i++) if (actions[i] == action) return values[i];
        return 0f;
    }

    public void add(int action, float delta) {
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] == action) {
                values[i] += delta;
                return;
            }
        }
        actions = Arrays.copyOf(actions, actions.length + 1);
        values = Arrays.copyOf(values, values.length + 1);
        actions[actions.length - 1] = action;
        values[values.length - 1] = delta;
    }
}
