package io.streamrec.model;

import io.streamrec.catalog.ItemCatalog;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable, engine-independent source of truth of one version of the DRR actor's parameters: the DRR-ave pooling
 * weights, the three Linear layers of the actor MLP, the item embedding matrix (rows aligned with an
 * {@link ItemCatalog}'s dense indices) and the learned user embedding rows. A user without a learned row gets a
 * deterministic cold-start row derived from (seed, userId), so every parallel instance agrees without coordination.
 *
 * <p>Tensor layouts follow PyTorch/DJL: a Linear weight is {@code [out, in]} row-major and computes
 * {@code y = x·Wᵀ + b}.
 */
public final class ActorWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    /** DRR-ave pooling weights, shape [N]; slot N-1 is the most recent window item. */
    public static final String POOL = "state.pool";

    public static final String FC1_WEIGHT = "mlp.fc1.weight";
    public static final String FC1_BIAS = "mlp.fc1.bias";
    public static final String FC2_WEIGHT = "mlp.fc2.weight";
    public static final String FC2_BIAS = "mlp.fc2.bias";
    public static final String FC3_WEIGHT = "mlp.fc3.weight";
    public static final String FC3_BIAS = "mlp.fc3.bias";
    /** Every dense tensor, in canonical order. */
    public static final List<String> TENSOR_NAMES =
            List.of(POOL, FC1_WEIGHT, FC1_BIAS, FC2_WEIGHT, FC2_BIAS, FC3_WEIGHT, FC3_BIAS);

    private final long version;
    private final long seed;
    private final int embeddingDim;
    private final int hiddenDim;
    private final int windowSize;
    private final StateRepresentation stateRepresentation;
    private final LinkedHashMap<String, float[]> tensors;
    private final int[] itemIds;
    private final float[] itemMatrix;
    private final HashMap<Integer, float[]> userRows;

    /**
     * Validates and defensively copies everything.
     *
     * @param tensors    exactly the {@link #TENSOR_NAMES}, row-major, shapes per {@link #tensorShape(String)}
     * @param itemIds    the item id of each embedding row, strictly ascending (as in {@link ItemCatalog})
     * @param itemMatrix [itemIds.length × d] row-major
     * @param userRows   learned user rows by userId (each of length d); others are cold-start rows
     * @throws IllegalArgumentException on any inconsistent shape or non-finite value
     */
    public ActorWeights(
            long version,
            long seed,
            int embeddingDim,
            int hiddenDim,
            int windowSize,
            Map<String, float[]> tensors,
            int[] itemIds,
            float[] itemMatrix,
            Map<Integer, float[]> userRows) {
        this(
                version,
                seed,
                embeddingDim,
                hiddenDim,
                windowSize,
                StateRepresentation.AVE,
                tensors,
                itemIds,
                itemMatrix,
                userRows);
    }

    /** As above, for a given state representation (which sets the input width of {@link #FC1_WEIGHT}). */
    public ActorWeights(
            long version,
            long seed,
            int embeddingDim,
            int hiddenDim,
            int windowSize,
            StateRepresentation stateRepresentation,
            Map<String, float[]> tensors,
            int[] itemIds,
            float[] itemMatrix,
            Map<Integer, float[]> userRows) {
        if (stateRepresentation == null) throw new IllegalArgumentException("state representation missing");
        this.stateRepresentation = stateRepresentation;
        if (version < 0) throw new IllegalArgumentException("version must be >= 0, got " + version);
        if (embeddingDim < 1 || hiddenDim < 1 || windowSize < 1) {
            throw new IllegalArgumentException(
                    "dimensions must be >= 1, got d=" + embeddingDim + " h=" + hiddenDim + " N=" + windowSize);
        }
        this.version = version;
        this.seed = seed;
        this.embeddingDim = embeddingDim;
        this.hiddenDim = hiddenDim;
        this.windowSize = windowSize;

        if (tensors == null) throw new IllegalArgumentException("tensors missing");
        for (String name : tensors.keySet()) {
            if (!TENSOR_NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown tensor '" + name + "', expected " + TENSOR_NAMES);
            }
        }
        this.tensors = new LinkedHashMap<>();
        for (String name : TENSOR_NAMES) {
            float[] values = tensors.get(name);
            if (values == null) throw new IllegalArgumentException("tensor '" + name + "' missing");
            TensorShapes.requireLength("tensor '" + name + "'", values, TensorShapes.numel(tensorShape(name)));
            TensorShapes.requireFinite("tensor '" + name + "'", values);
            this.tensors.put(name, values.clone());
        }

        if (itemIds == null || itemIds.length == 0) throw new IllegalArgumentException("no item rows");
        for (int i = 1; i < itemIds.length; i++) {
            if (itemIds[i] <= itemIds[i - 1]) {
                throw new IllegalArgumentException(
                        "item ids must be strictly ascending, got " + itemIds[i - 1] + " before " + itemIds[i]);
            }
        }
        this.itemIds = itemIds.clone();
        if (itemMatrix == null) throw new IllegalArgumentException("item matrix missing");
        TensorShapes.requireLength("item matrix", itemMatrix, (long) itemIds.length * embeddingDim);
        TensorShapes.requireFinite("item matrix", itemMatrix);
        this.itemMatrix = itemMatrix.clone();

        this.userRows = new HashMap<>();
        if (userRows != null) {
            for (Map.Entry<Integer, float[]> e : userRows.entrySet()) {
                if (e.getKey() == null) throw new IllegalArgumentException("null user id in user rows");
                String what = "user row " + e.getKey();
                if (e.getValue() == null) throw new IllegalArgumentException(what + " is null");
                TensorShapes.requireLength(what, e.getValue(), embeddingDim);
                TensorShapes.requireFinite(what, e.getValue());
                this.userRows.put(e.getKey(), e.getValue().clone());
            }
        }
    }

    /**
     * Version 0: a deterministic initialisation from {@code settings.seed()} alone (see {@link SeededWeights}).
     */
    public static ActorWeights seeded(ModelShape settings, ItemCatalog catalog) {
        return SeededWeights.create(settings, catalog);
    }

    /**
     * The cold-start embedding of a user nobody has learned yet: zero. In DRR-ave the user row is two thirds of the
     * state ([u, u⊙avg, avg]); a random row would be noise the actor has to learn to ignore, a zero row leaves the
     * state to what the user did (the window) until the learner has trained the row. The same in serving and learning.
     */
    public static float[] coldStartUserRow(int embeddingDim) {
        return new float[embeddingDim];
    }

    /** A new version with {@code delta} applied: its tensors replace whole tensors, its rows replace/add rows. */
    public ActorWeights apply(ActorWeightsDelta delta) {
        if (delta.baseVersion() != version) {
            throw new IllegalArgumentException("delta v" + delta.version() + " applies on top of v"
                    + delta.baseVersion() + " but these weights are v" + version + "; a full snapshot is needed");
        }
        if (delta.embeddingDim() != embeddingDim
                || delta.hiddenDim() != hiddenDim
                || delta.windowSize() != windowSize
                || delta.stateRepresentation() != stateRepresentation) {
            throw new IllegalArgumentException("delta dimensions d=" + delta.embeddingDim() + " h=" + delta.hiddenDim()
                    + " N=" + delta.windowSize() + " state="
                    + delta.stateRepresentation().key() + " do not match d=" + embeddingDim
                    + " h=" + hiddenDim + " N=" + windowSize + " state=" + stateRepresentation.key());
        }
        Map<String, float[]> nextTensors = new LinkedHashMap<>(tensors);
        nextTensors.putAll(delta.tensorsRef());
        float[] nextItems = itemMatrix.clone();
        for (Map.Entry<Integer, float[]> e : delta.itemRowsRef().entrySet()) {
            int index = itemIndexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("delta updates item " + e.getKey() + " which has no embedding row");
            }
            System.arraycopy(e.getValue(), 0, nextItems, index * embeddingDim, embeddingDim);
        }
        Map<Integer, float[]> nextUsers = new HashMap<>(userRows);
        nextUsers.putAll(delta.userRowsRef());
        return new ActorWeights(
                delta.version(),
                seed,
                embeddingDim,
                hiddenDim,
                windowSize,
                stateRepresentation,
                nextTensors,
                itemIds,
                nextItems,
                nextUsers);
    }

    /** The same parameters under another version number. */
    public ActorWeights withVersion(long newVersion) {
        return new ActorWeights(
                newVersion,
                seed,
                embeddingDim,
                hiddenDim,
                windowSize,
                stateRepresentation,
                tensors,
                itemIds,
                itemMatrix,
                userRows);
    }

    /** Shape of a named dense tensor under these dimensions. */
    public int[] tensorShape(String name) {
        return TensorShapes.tensorShape(name, embeddingDim, hiddenDim, windowSize, stateRepresentation);
    }

    /** Throws unless the item rows are exactly the catalogue's items, in its index order. */
    public void requireAlignedWith(ItemCatalog catalog) {
        if (catalog.size() != itemIds.length) {
            throw new IllegalArgumentException("weights v" + version + " hold " + itemIds.length
                    + " item rows but the catalogue has " + catalog.size() + " items");
        }
        for (int i = 0; i < itemIds.length; i++) {
            if (catalog.itemIdAt(i) != itemIds[i]) {
                throw new IllegalArgumentException("weights v" + version + " item row " + i + " is item " + itemIds[i]
                        + " but the catalogue's item " + i + " is " + catalog.itemIdAt(i));
            }
        }
    }

    public long version() {
        return version;
    }

    public long seed() {
        return seed;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public int hiddenDim() {
        return hiddenDim;
    }

    public int windowSize() {
        return windowSize;
    }

    /** The state representation these weights were built for. */
    public StateRepresentation stateRepresentation() {
        return stateRepresentation;
    }

    /** Width of the state vector (the input of the actor MLP). */
    public int stateDim() {
        return stateRepresentation.stateDim(embeddingDim, windowSize);
    }

    public int itemCount() {
        return itemIds.length;
    }

    public int itemIdAt(int index) {
        return itemIds[index];
    }

    /** Row index of an item id, or -1. */
    public int itemIndexOf(int itemId) {
        int i = Arrays.binarySearch(itemIds, itemId);
        return i >= 0 ? i : -1;
    }

    /** A copy of a dense tensor, row-major. */
    public float[] tensor(String name) {
        float[] t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("unknown tensor '" + name + "', expected " + TENSOR_NAMES);
        return t.clone();
    }

    /** A copy of the item embedding matrix [itemCount × d], row-major. */
    public float[] itemMatrix() {
        return itemMatrix.clone();
    }

    /** Copies item row {@code index} into {@code dst[offset .. offset+d)}. */
    public void copyItemRow(int index, float[] dst, int offset) {
        System.arraycopy(itemMatrix, index * embeddingDim, dst, offset, embeddingDim);
    }

    /** A copy of a user's row: the learned one, else the cold-start one. */
    public float[] userRow(int userId) {
        float[] row = new float[embeddingDim];
        copyUserRow(userId, row, 0);
        return row;
    }

    /** Copies a user's row (learned, else cold-start) into {@code dst[offset .. offset+d)}, without allocating a map entry. */
    public void copyUserRow(int userId, float[] dst, int offset) {
        float[] learned = userRows.get(userId);
        if (learned != null) {
            System.arraycopy(learned, 0, dst, offset, embeddingDim);
        } else {
            Arrays.fill(dst, offset, offset + embeddingDim, 0f); // coldStartUserRow
        }
    }

    public boolean hasLearnedUserRow(int userId) {
        return userRows.containsKey(userId);
    }

    /** Ids of the users with a learned row, ascending. */
    public int[] learnedUserIds() {
        return userRows.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    // Zero-copy views for the codec and the serving model in this package; callers must not mutate them.
    Map<String, float[]> tensorsRef() {
        return Collections.unmodifiableMap(tensors);
    }

    /** {@code e_index · query[offset .. offset+d)}: the actor's score of one item for an action (re-ranking). */
    public float itemDot(int index, float[] query, int offset) {
        int base = index * embeddingDim;
        float s = 0;
        for (int j = 0; j < embeddingDim; j++) s += itemMatrix[base + j] * query[offset + j];
        return s;
    }

    int[] itemIdsRef() {
        return itemIds;
    }

    float[] itemMatrixRef() {
        return itemMatrix;
    }

    Map<Integer, float[]> userRowsRef() {
        return Collections.unmodifiableMap(userRows);
    }

    /** Bitwise equality of every value (so a codec round trip can be checked exactly). */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ActorWeights w)) return false;
        if (version != w.version
                || seed != w.seed
                || embeddingDim != w.embeddingDim
                || hiddenDim != w.hiddenDim
                || windowSize != w.windowSize
                || stateRepresentation != w.stateRepresentation
                || !Arrays.equals(itemIds, w.itemIds)
                || !Arrays.equals(itemMatrix, w.itemMatrix)
                || userRows.size() != w.userRows.size()) {
            return false;
        }
        for (String name : TENSOR_NAMES) {
            if (!Arrays.equals(tensors.get(name), w.tensors.get(name))) return false;
        }
        for (Map.Entry<Integer, float[]> e : userRows.entrySet()) {
            if (!Arrays.equals(e.getValue(), w.userRows.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(version) * 31 + Long.hashCode(seed);
        h = h * 31 + Arrays.hashCode(itemMatrix);
        return h * 31 + Arrays.hashCode(tensors.get(FC1_WEIGHT));
    }

    @Override
    public String toString() {
        return "ActorWeights{v" + version + ", seed=" + seed + ", d=" + embeddingDim + ", h=" + hiddenDim + ", N="
                + windowSize
                + (stateRepresentation == StateRepresentation.AVE ? "" : ", state=" + stateRepresentation.key())
                + ", items=" + itemIds.length + ", learnedUsers=" + userRows.size() + '}';
    }
}
