package io.streamrec.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.streamrec.schema.Float32Base64;
import io.streamrec.schema.Json;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes actor weights as the JSON of {@code schemas/actor-weights.schema.json} (every vector one base64
 * string of little-endian float32, {@link Float32Base64}; arrays of numbers are read too): full snapshots
 * ({@link ActorWeights}) and deltas ({@link ActorWeightsDelta}), each carrying a CRC32C checksum. Anything that
 * does not decode to valid weights (bad JSON, missing field, wrong shape, non-finite value, checksum mismatch,
 * delta on the wrong base) is rejected with an {@link IllegalArgumentException} that names the reason.
 *
 * <p>Rows: {@code itemRows} of a full snapshot hold every item (keyed by item id); {@code userRows} only the learned
 * users (the others are cold-start rows derived from {@code seed}, which a full snapshot must therefore carry).
 *
 * <p>Checksum: lower-case hex of CRC32C over this canonical big-endian ({@link DataOutputStream}) encoding of the
 * decoded values, so it does not depend on JSON formatting and {@code publishedAt} (written after it) is excluded:
 * <pre>
 * UTF "streamrec.actor-weights.v1"
 * long version; bool hasBase [long baseVersion]; bool full; bool hasSeed [long seed]; int d; int h; int N
 * int #tensors; per tensor by name (String order): UTF name, int rank, int dims…, int #values, int floatBits…
 * int #userRows; per row by id ascending: int id, int #values, int floatBits…
 * int #itemRows; per row by id ascending: int id, int #values, int floatBits…
 * </pre>
 */
public final class ActorWeightsCodec {

    private ActorWeightsCodec() {}

    /** The JSON document; public fields for Jackson. Boxed types so a missing field is detected, not defaulted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "version",
        "baseVersion",
        "full",
        "seed",
        "embeddingDim",
        "hiddenDim",
        "windowSize",
        "stateRepresentation",
        "tensors",
        "userRows",
        "itemRows",
        "checksum",
        "publishedAt"
    })
    public static final class Message {
        public Long version;
        public Long baseVersion;
        public Boolean full;
        public Long seed;
        public Integer embeddingDim;
        public Integer hiddenDim;
        public Integer windowSize;
        /** ave (when absent), ave-res, p or u; written for all but ave so DRR-ave documents are unchanged. */
        public String stateRepresentation;

        public Map<String, Tensor> tensors;

        @JsonSerialize(contentUsing = Float32Base64.Serializer.class)
        @JsonDeserialize(contentUsing = Float32Base64.Deserializer.class)
        public Map<String, float[]> userRows;

        @JsonSerialize(contentUsing = Float32Base64.Serializer.class)
        @JsonDeserialize(contentUsing = Float32Base64.Deserializer.class)
        public Map<String, float[]> itemRows;

        public String checksum;
        public Long publishedAt;
    }

    /** One dense tensor: its shape and row-major values. */
    public static final class Tensor {
        public int[] shape;

        @JsonSerialize(using = Float32Base64.Serializer.class)
        @JsonDeserialize(using = Float32Base64.Deserializer.class)
        public float[] values;

        public Tensor() {}

        Tensor(int[] shape, float[] values) {
            this.shape = shape;
            this.values = values;
        }
    }

    // ---------------------------------------------------------------- encode

    /** A full snapshot without {@code publishedAt}. */
    public static byte[] encode(ActorWeights weights) {
        return encode(weights, null);
    }

    /** A full snapshot; {@code publishedAt} (epoch ms, may be null) is not covered by the checksum. */
    public static byte[] encode(ActorWeights weights, Long publishedAt) {
        Message m = new Message();
        m.version = weights.version();
        m.full = true;
        m.seed = weights.seed();
        m.embeddingDim = weights.embeddingDim();
        m.hiddenDim = weights.hiddenDim();
        m.windowSize = weights.windowSize();
        m.stateRepresentation = keyOf(weights.stateRepresentation());
        m.tensors = new LinkedHashMap<>();
        for (String name : ActorWeights.TENSOR_NAMES) {
            m.tensors.put(
                    name,
                    new Tensor(weights.tensorShape(name), weights.tensorsRef().get(name)));
        }
        m.userRows = new LinkedHashMap<>();
        for (int userId : weights.learnedUserIds())
            m.userRows.put(Integer.toString(userId), weights.userRowsRef().get(userId));
        m.itemRows = new LinkedHashMap<>();
        int d = weights.embeddingDim();
        float[] matrix = weights.itemMatrixRef();
        for (int i = 0; i < weights.itemCount(); i++) {
            m.itemRows.put(Integer.toString(weights.itemIdAt(i)), Arrays.copyOfRange(matrix, i * d, (i + 1) * d));
        }
        m.checksum = WeightsChecksum.of(m);
        m.publishedAt = publishedAt;
        return Json.write(m);
    }

    /** A delta message (full=false, with baseVersion). */
    public static byte[] encodeDelta(ActorWeightsDelta delta) {
        Message m = new Message();
        m.version = delta.version();
        m.baseVersion = delta.baseVersion();
        m.full = false;
        m.embeddingDim = delta.embeddingDim();
        m.hiddenDim = delta.hiddenDim();
        m.windowSize = delta.windowSize();
        m.stateRepresentation = keyOf(delta.stateRepresentation());
        m.tensors = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : delta.tensorsRef().entrySet()) {
            int[] shape = TensorShapes.tensorShape(
                    e.getKey(),
                    delta.embeddingDim(),
                    delta.hiddenDim(),
                    delta.windowSize(),
                    delta.stateRepresentation());
            m.tensors.put(e.getKey(), new Tensor(shape, e.getValue()));
        }
        m.userRows = new LinkedHashMap<>();
        delta.userRowsRef().forEach((id, row) -> m.userRows.put(Integer.toString(id), row));
        m.itemRows = new LinkedHashMap<>();
        delta.itemRowsRef().forEach((id, row) -> m.itemRows.put(Integer.toString(id), row));
        m.checksum = WeightsChecksum.of(m);
        return Json.write(m);
    }

    public static void writeFile(ActorWeights weights, Path file) {
        try {
            Files.write(file, encode(weights));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write actor weights to " + file, e);
        }
    }

    // ---------------------------------------------------------------- decode

    /** Whether a valid message is a full snapshot (true) or a delta (false). */
    public static boolean isFull(byte[] json) {
        return parse(json).full;
    }

    /** A valid message decoded once: exactly one of {@code full} and {@code delta} is set. */
    public record Decoded(ActorWeights full, ActorWeightsDelta delta) {}

    /** A full snapshot or a delta, whichever the message is (one parse: the follower's hot path). */
    public static Decoded decode(byte[] json) {
        Message m = parse(json);
        return m.full ? new Decoded(toWeights(m), null) : new Decoded(null, toDelta(m));
    }

    /** A full snapshot; a delta or anything invalid is rejected. */
    public static ActorWeights decodeFull(byte[] json) {
        Message m = parse(json);
        if (!m.full) {
            throw new IllegalArgumentException(
                    "actor weights v" + m.version + " is a delta on v" + m.baseVersion + ", not a full snapshot");
        }
        return toWeights(m);
    }

    /** A delta; a full snapshot or anything invalid is rejected. */
    public static ActorWeightsDelta decodeDelta(byte[] json) {
        Message m = parse(json);
        if (m.full)
            throw new IllegalArgumentException("actor weights v" + m.version + " is a full snapshot, not a delta");
        return toDelta(m);
    }

    /**
     * What a consumer of the actor-weights topic does with one message: a full snapshot replaces {@code current}
     * (which may be null), a delta is applied on top of it (and must name its version as base).
     */
    public static ActorWeights applyTo(ActorWeights current, byte[] json) {
        Message m = parse(json);
        if (m.full) return toWeights(m);
        if (current == null) {
            throw new IllegalArgumentException(
                    "delta v" + m.version + " on v" + m.baseVersion + " arrived before any full snapshot");
        }
        return current.apply(toDelta(m));
    }

    /** A full snapshot file (e.g. the job's {@code actor.weights.file}). */
    public static ActorWeights readFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read actor weights file " + file, e);
        }
        try {
            return decodeFull(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("actor weights file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Message parse(byte[] json) {
        Message m;
        try {
            m = Json.MAPPER.readValue(json, Message.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid actor-weights JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid actor-weights JSON: " + e.getMessage(), e);
        }
        if (m == null) throw new IllegalArgumentException("not valid actor-weights JSON: empty document");
        require(m.version, "version");
        require(m.full, "full");
        require(m.embeddingDim, "embeddingDim");
        require(m.hiddenDim, "hiddenDim");
        require(m.windowSize, "windowSize");
        require(m.tensors, "tensors");
        require(m.checksum, "checksum");
        if (m.full && m.baseVersion != null) {
            throw new IllegalArgumentException("full snapshot v" + m.version + " must not name a baseVersion");
        }
        if (!m.full && m.baseVersion == null) {
            throw new IllegalArgumentException("delta v" + m.version + " lacks its baseVersion");
        }
        if (m.embeddingDim < 1 || m.hiddenDim < 1 || m.windowSize < 1) {
            throw new IllegalArgumentException(
                    "dimensions must be >= 1, got d=" + m.embeddingDim + " h=" + m.hiddenDim + " N=" + m.windowSize);
        }
        StateRepresentation rep = StateRepresentation.parse(m.stateRepresentation);
        // Completeness, shapes and finiteness before the checksum, so the reason given is the most specific one.
        if (m.full) {
            for (String name : ActorWeights.TENSOR_NAMES) {
                if (!m.tensors.containsKey(name)) {
                    throw new IllegalArgumentException("full snapshot v" + m.version + " lacks tensor '" + name + "'");
                }
            }
        }
        for (Map.Entry<String, Tensor> e : m.tensors.entrySet()) {
            String what = "tensor '" + e.getKey() + "'";
            Tensor t = e.getValue();
            if (t == null || t.shape == null || t.values == null)
                throw new IllegalArgumentException(what + " lacks shape or values");
            int[] expected = TensorShapes.tensorShape(e.getKey(), m.embeddingDim, m.hiddenDim, m.windowSize, rep);
            if (!Arrays.equals(t.shape, expected)) {
                throw new IllegalArgumentException(
                        what + " has shape " + Arrays.toString(t.shape) + ", expected " + Arrays.toString(expected));
            }
            TensorShapes.requireLength(what, t.values, TensorShapes.numel(expected));
            TensorShapes.requireFinite(what, t.values);
        }
        checkRows("user", m.userRows, m.embeddingDim);
        checkRows("item", m.itemRows, m.embeddingDim);
        String actual = WeightsChecksum.of(m);
        if (!actual.equalsIgnoreCase(m.checksum)) {
            throw new IllegalArgumentException("actor weights v" + m.version + " checksum mismatch: message says "
                    + m.checksum + ", content hashes to " + actual + " (corrupt or tampered)");
        }
        return m;
    }

    private static String keyOf(StateRepresentation rep) {
        return rep == StateRepresentation.AVE ? null : rep.key();
    }

    private static void require(Object value, String field) {
        if (value == null) throw new IllegalArgumentException("actor weights lack required field '" + field + "'");
    }

    private static void checkRows(String kind, Map<String, float[]> rows, int d) {
        if (rows == null) return;
        for (Map.Entry<String, float[]> e : rows.entrySet()) {
            parseId(kind, e.getKey());
            String what = kind + " row " + e.getKey();
            if (e.getValue() == null) throw new IllegalArgumentException(what + " is null");
            TensorShapes.requireLength(what, e.getValue(), d);
            TensorShapes.requireFinite(what, e.getValue());
        }
    }

    private static int parseId(String kind, String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " row key '" + key + "' is not an integer id");
        }
    }

    private static ActorWeights toWeights(Message m) {
        if (m.seed == null) {
            throw new IllegalArgumentException(
                    "full snapshot v" + m.version + " lacks the seed its cold-start users need");
        }
        if (m.itemRows == null || m.itemRows.isEmpty()) {
            throw new IllegalArgumentException("full snapshot v" + m.version + " has no item rows");
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        m.tensors.forEach((name, t) -> tensors.put(name, t.values));
        TreeMap<Integer, float[]> items = sortedRows("item", m.itemRows);
        int d = m.embeddingDim;
        int[] ids = new int[items.size()];
        float[] matrix = new float[items.size() * d];
        int i = 0;
        for (Map.Entry<Integer, float[]> e : items.entrySet()) {
            ids[i] = e.getKey();
            System.arraycopy(e.getValue(), 0, matrix, i * d, d);
            i++;
        }
        return new ActorWeights(
                m.version,
                m.seed,
                d,
                m.hiddenDim,
                m.windowSize,
                StateRepresentation.parse(m.stateRepresentation),
                tensors,
                ids,
                matrix,
                sortedRows("user", m.userRows));
    }

    private static ActorWeightsDelta toDelta(Message m) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        m.tensors.forEach((name, t) -> tensors.put(name, t.values));
        return new ActorWeightsDelta(
                m.version,
                m.baseVersion,
                m.embeddingDim,
                m.hiddenDim,
                m.windowSize,
                StateRepresentation.parse(m.stateRepresentation),
                tensors,
                sortedRows("item", m.itemRows),
                sortedRows("user", m.userRows));
    }

    static TreeMap<Integer, float[]> sortedRows(String kind, Map<String, float[]> rows) {
        TreeMap<Integer, float[]> sorted = new TreeMap<>();
        if (rows != null) {
            for (Map.Entry<String, float[]> e : rows.entrySet()) {
                if (sorted.put(parseId(kind, e.getKey()), e.getValue()) != null) {
                    throw new IllegalArgumentException("duplicate " + kind + " row " + e.getKey());
                }
            }
        }
        return sorted;
    }
}
