package io.streamrec.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.streamrec.model.ActorWeights;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The user embedding table on the device (a trained tensor with its moments, and a detached view of it) and its
 * bookkeeping: the row of each user, the user of each row, and which rows have been trained. A new user takes the
 * next unused row; the table doubles when full.
 */
final class UserTable {
    static final String NAME = "user.embeddings";

    private final NDManager manager;
    private final int d;
    /** Row of each user in the user table, and the user of each row. */
    private final HashMap<Integer, Integer> userRow = new HashMap<>();

    private int[] rowUser;
    /** Rows that have had an update: only those are learned rows; the others still equal their cold-start rows. */
    private final BitSet trainedRows = new BitSet();

    private final LearnerTensor tensor;
    /** A detached view of the table (shares storage; for the target path and acting). */
    private NDArray detached;

    /** The learned rows of the initial weights, then room to grow; every other row zero. */
    UserTable(NDManager manager, ActorWeights initial) {
        this.manager = manager;
        this.d = initial.embeddingDim();
        int[] learned = initial.learnedUserIds().clone();
        Arrays.sort(learned);
        int capacity = Math.max(1024, Integer.highestOneBit(Math.max(1, learned.length)) << 1);
        float[] table = new float[capacity * d];
        rowUser = new int[capacity];
        for (int r = 0; r < learned.length; r++) {
            int u = learned[r];
            System.arraycopy(initial.userRow(u), 0, table, r * d, d);
            userRow.put(u, r);
            rowUser[r] = u;
            trainedRows.set(r);
        }
        NDArray userTable = manager.create(table, new Shape(capacity, d));
        this.tensor = new LearnerTensor(NAME, TensorGroup.EMBEDDING, null, userTable);
        tensor.initOptimizerState(manager);
        detached = tensor.detachedValue(manager);
    }

    /** The table as a trained tensor (its value and moments are replaced when the table grows). */
    LearnerTensor tensor() {
        return tensor;
    }

    /** A view of the current table that records no gradient. */
    NDArray detached() {
        return detached;
    }

    /**
     * The user's row in the table. A new user takes the next unused row, which is zero — the cold-start row serving
     * uses — because the table, its growth and its restore leave every unused row at zero.
     */
    int rowOf(int userId) {
        Integer row = userRow.get(userId);
        if (row != null) return row;
        int r = userRow.size();
        if (r == rowUser.length) grow();
        userRow.put(userId, r);
        rowUser[r] = userId;
        return r;
    }

    /** The number of rows in use (rows 0 to used − 1). */
    int used() {
        return userRow.size();
    }

    /** The user of a used row. */
    int userAt(int row) {
        return rowUser[row];
    }

    /** Whether a used row has had an update. */
    boolean isTrained(int row) {
        return trainedRows.get(row);
    }

    /** Marks rows as updated. */
    void markTrained(long[] rows) {
        for (long r : rows) trainedRows.set((int) r);
    }

    /** The used rows of {@code table} (the table's values or one of its moments), row-major. */
    float[] usedRows(NDArray table) {
        int used = userRow.size();
        if (used == 0) return new float[0];
        try (NDArray part = table.get(manager, new NDIndex("0:" + used))) {
            return part.toFloatArray();
        }
    }

    /** The user's current row, or the cold-start row for a user without one. */
    float[] rowValues(int userId) {
        Integer row = userRow.get(userId);
        if (row == null) return ActorWeights.coldStartUserRow(d);
        try (NDArray r = tensor.value.get(manager, new NDIndex(row))) {
            return r.toFloatArray();
        }
    }

    /** The trained rows by user: the learned user rows of a publication. */
    Map<Integer, float[]> learnedRows() {
        Map<Integer, float[]> rows = new HashMap<>();
        float[] table = usedRows(tensor.value);
        for (int r = trainedRows.nextSetBit(0); r >= 0; r = trainedRows.nextSetBit(r + 1)) {
            rows.put(rowUser[r], Arrays.copyOfRange(table, r * d, (r + 1) * d));
        }
        return rows;
    }

    /** Restore: gives the users rows in order (after the rows already in use), growing the table as needed. */
    void assignRows(int[] userIds) {
        for (int u : userIds) {
            int r = userRow.size();
            if (r == rowUser.length) grow();
            userRow.put(u, r);
            rowUser[r] = u;
        }
    }

    /** Restore: the rows that have had an update. */
    void setTrained(BitSet trained) {
        trainedRows.clear();
        trainedRows.or(trained);
    }

    /** Doubles the table (and its moments); rare, so it may copy. */
    private void grow() {
        int capacity = rowUser.length * 2;
        rowUser = Arrays.copyOf(rowUser, capacity);
        tensor.value = grown(tensor.value, capacity);
        tensor.m = grown(tensor.m, capacity);
        tensor.v = grown(tensor.v, capacity);
        detached.close();
        detached = tensor.detachedValue(manager);
    }

    private NDArray grown(NDArray old, int capacity) {
        long rows = old.getShape().get(0);
        NDArray bigger;
        try (NDManager tmp = manager.newSubManager()) {
            NDArray zeros = tmp.zeros(new Shape(capacity - rows, d));
            NDArray detachedOld = old.stopGradient();
            detachedOld.attach(tmp);
            bigger = NDArrays.concat(new NDList(detachedOld, zeros));
            bigger.attach(manager);
        }
        old.close();
        return bigger;
    }
}
