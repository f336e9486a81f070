package io.streamrec.model;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The CRC32C of an actor-weights message's content (see {@link ActorWeightsCodec}): a canonical binary form of the
 * version, shape, tensors and rows in sorted order, so the JSON's field order and number formatting do not matter.
 */
final class WeightsChecksum {
    private static final String CANONICAL_MAGIC = "streamrec.actor-weights.v1";

    private WeightsChecksum() {}

    /** The checksum of a message's content. */
    static String of(ActorWeightsCodec.Message m) {
        CRC32C crc = new CRC32C();
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(new CheckedOutputStream(OutputStream.nullOutputStream(), crc), 1 << 16))) {
            out.writeUTF(CANONICAL_MAGIC);
            out.writeLong(m.version);
            out.writeBoolean(m.baseVersion != null);
            if (m.baseVersion != null) out.writeLong(m.baseVersion);
            out.writeBoolean(m.full);
            out.writeBoolean(m.seed != null);
            if (m.seed != null) out.writeLong(m.seed);
            out.writeInt(m.embeddingDim);
            out.writeInt(m.hiddenDim);
            out.writeInt(m.windowSize);
            // Covered only when present, so DRR-ave checksums are the same as before the field existed.
            if (m.stateRepresentation != null) out.writeUTF("state:" + m.stateRepresentation);
            TreeMap<String, ActorWeightsCodec.Tensor> tensors = new TreeMap<>(m.tensors);
            out.writeInt(tensors.size());
            for (Map.Entry<String, ActorWeightsCodec.Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().shape.length);
                for (int s : e.getValue().shape) out.writeInt(s);
                writeFloats(out, e.getValue().values);
            }
            writeRows(out, ActorWeightsCodec.sortedRows("user", m.userRows));
            writeRows(out, ActorWeightsCodec.sortedRows("item", m.itemRows));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the sink is a null stream
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static void writeRows(DataOutputStream out, TreeMap<Integer, float[]> rows) throws IOException {
        out.writeInt(rows.size());
        for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
            out.writeInt(e.getKey());
            writeFloats(out, e.getValue());
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        // The same big-endian bytes as writeInt(floatToIntBits(v)) per value, in bulk.
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        for (int i = 0; i < values.length; i++) bytes.putInt(i * Float.BYTES, Float.floatToIntBits(values[i]));
        out.write(bytes.array());
    }
}
