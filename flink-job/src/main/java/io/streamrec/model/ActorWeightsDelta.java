package io.streamrec.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The change from one {@link ActorWeights} version to the next, as published on the actor-weights topic: whole
 * dense tensors that changed, plus the item and user embedding rows that changed (rows keyed by item/user id).
 * Applied with {@link ActorWeights#apply(ActorWeightsDelta)}, which requires {@code baseVersion} to match.
 */
public final class ActorWeightsDelta implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long version;
    private final long baseVersion;
    private final int embeddingDim;
    private final int hiddenDim;
    private final int windowSize;
    private final StateRepresentation stateRepresentation;
    private final Map<String, float[]> tensors;
    private final Map<Integer, float[]> itemRows;
    private final Map<Integer, float[]> userRows;

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when versions do not increase, a tensor name/shape is wrong, a row has the
     *                                  wrong length, or any value is non-finite
     */
    public ActorWeightsDelta(
            long version,
            long baseVersion,
            int embeddingDim,
            int hiddenDim,
            int windowSize,
            Map<String, float[]> tensors,
            Map<Integer, float[]> itemRows,
            Map<Integer, float[]> userRows) {
        this(
                version,
                baseVersion,
                embeddingDim,
                hiddenDim,
                windowSize,
                StateRepresentation.AVE,
                tensors,
                itemRows,
                userRows);
    }

    /** As above, for weights of a given state representation (which sets the shape of mlp.fc1.weight). */
    public ActorWeightsDelta(
            long version,
            long baseVersion,
            int embeddingDim,
            int hiddenDim,
            int windowSize,
            StateRepresentation stateRepresentation,
            Map<String, float[]> tensors,
            Map<Integer, float[]> itemRows,
            Map<Integer, float[]> userRows) {
        if (stateRepresentation == null) throw new IllegalArgumentException("state representation missing");
        this.stateRepresentation = stateRepresentation;
        if (baseVersion < 0 || version <= baseVersion) {
            throw new IllegalArgumentException(
                    "a delta must go from a version >= 0 to a later one, got v" + baseVersion + " -> v" + version);
        }
        if (embeddingDim < 1 || hiddenDim < 1 || windowSize < 1) {
            throw new IllegalArgumentException(
                    "dimensions must be >= 1, got d=" + embeddingDim + " h=" + hiddenDim + " N=" + windowSize);
        }
        this.version = version;
        this.baseVersion = baseVersion;
        this.embeddingDim = embeddingDim;
        this.hiddenDim = hiddenDim;
        this.windowSize = windowSize;
        // Sorted maps: deterministic iteration for the canonical checksum encoding and for logs.
        TreeMap<String, float[]> t = new TreeMap<>();
        if (tensors != null) {
            for (Map.Entry<String, float[]> e : tensors.entrySet()) {
                String what = "tensor '" + e.getKey() + "'";
                int[] shape =
                        TensorShapes.tensorShape(e.getKey(), embeddingDim, hiddenDim, windowSize, stateRepresentation);
                if (e.getValue() == null) throw new IllegalArgumentException(what + " is null");
                TensorShapes.requireLength(what, e.getValue(), TensorShapes.numel(shape));
                TensorShapes.requireFinite(what, e.getValue());
                t.put(e.getKey(), e.getValue().clone());
            }
        }
        this.tensors = Collections.unmodifiableMap(t);
        this.itemRows = copyRows("item", itemRows, embeddingDim);
        this.userRows = copyRows("user", userRows, embeddingDim);
    }

    private static Map<Integer, float[]> copyRows(String kind, Map<Integer, float[]> rows, int d) {
        TreeMap<Integer, float[]> copy = new TreeMap<>();
        if (rows != null) {
            for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
                if (e.getKey() == null) throw new IllegalArgumentException("null " + kind + " id");
                String what = kind + " row " + e.getKey();
                if (e.getValue() == null) throw new IllegalArgumentException(what + " is null");
                TensorShapes.requireLength(what, e.getValue(), d);
                TensorShapes.requireFinite(what, e.getValue());
                copy.put(e.getKey(), e.getValue().clone());
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The smallest delta turning {@code base} into {@code target}: the tensors and rows whose values differ
     * (bitwise). Both must share dimensions, seed and items.
     */
    public static ActorWeightsDelta between(ActorWeights base, ActorWeights target) {
        int d = base.embeddingDim();
        if (d != target.embeddingDim()
                || base.hiddenDim() != target.hiddenDim()
                || base.windowSize() != target.windowSize()
                || base.seed() != target.seed()
                || base.stateRepresentation() != target.stateRepresentation()
                || !Arrays.equals(base.itemIdsRef(), target.itemIdsRef())) {
            throw new IllegalArgumentException(
                    "a delta needs equal dimensions, seed and items: " + base + " vs " + target);
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name : ActorWeights.TENSOR_NAMES) {
            float[] next = target.tensorsRef().get(name);
            if (!Arrays.equals(base.tensorsRef().get(name), next)) tensors.put(name, next);
        }
        Map<Integer, float[]> items = new LinkedHashMap<>();
        float[] a = base.itemMatrixRef();
        float[] b = target.itemMatrixRef();
        for (int i = 0; i < base.itemCount(); i++) {
            if (!Arrays.equals(a, i * d, (i + 1) * d, b, i * d, (i + 1) * d)) {
                items.put(base.itemIdAt(i), Arrays.copyOfRange(b, i * d, (i + 1) * d));
            }
        }
        Map<Integer, float[]> users = new LinkedHashMap<>();
        for (Map.Entry<Integer, float[]> e : target.userRowsRef().entrySet()) {
            // A learned row equal to what the base serves (learned or cold start) is no change.
            if (!Arrays.equals(base.userRow(e.getKey()), e.getValue())) users.put(e.getKey(), e.getValue());
        }
        return new ActorWeightsDelta(
                target.version(),
                base.version(),
                d,
                base.hiddenDim(),
                base.windowSize(),
                base.stateRepresentation(),
                tensors,
                items,
                users);
    }

    public long version() {
        return version;
    }

    public long baseVersion() {
        return baseVersion;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public int hiddenDim() {
        return hiddenDim;
    }

    public StateRepresentation stateRepresentation() {
        return stateRepresentation;
    }

    public int windowSize() {
        return windowSize;
    }

    /** Read-only views (arrays must not be mutated); sorted by name / id. */
    Map<String, float[]> tensorsRef() {
        return tensors;
    }

    Map<Integer, float[]> itemRowsRef() {
        return itemRows;
    }

    Map<Integer, float[]> userRowsRef() {
        return userRows;
    }

    /** Names of the replaced tensors. */
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    /** Ids of the replaced item rows, ascending. */
    public Set<Integer> itemIds() {
        return itemRows.keySet();
    }

    /** Ids of the replaced or added user rows, ascending. */
    public Set<Integer> userIds() {
        return userRows.keySet();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ActorWeightsDelta x)) return false;
        return version == x.version
                && baseVersion == x.baseVersion
                && embeddingDim == x.embeddingDim
                && hiddenDim == x.hiddenDim
                && windowSize == x.windowSize
                && stateRepresentation == x.stateRepresentation
                && sameRows(tensors, x.tensors)
                && sameRows(itemRows, x.itemRows)
                && sameRows(userRows, x.userRows);
    }

    private static <K> boolean sameRows(Map<K, float[]> a, Map<K, float[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (Map.Entry<K, float[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Long.hashCode(baseVersion);
    }

    @Override
    public String toString() {
        return "ActorWeightsDelta{v" + baseVersion + "->v" + version + ", tensors=" + tensors.keySet() + ", items="
                + itemRows.size() + ", users=" + userRows.size() + '}';
    }
}
