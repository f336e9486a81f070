package io.streamrec.schema;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Primitive arrays in binary state and checkpoint formats: a length (-1 for null), then the elements big-endian — the
 * same bytes as one {@code writeInt}/{@code writeFloat} per element, written through one byte[] (the per-element calls
 * were a visible part of the profile where d-float actions are rewritten per event).
 */
public final class BinaryArrays {
    private BinaryArrays() {}

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null || a.length == 0) return;
        byte[] raw = new byte[a.length * 4];
        ByteBuffer.wrap(raw).asIntBuffer().put(a);
        out.write(raw);
    }

    public static int[] readInts(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        int[] a = new int[n];
        if (n == 0) return a;
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        ByteBuffer.wrap(raw).asIntBuffer().get(a);
        return a;
    }

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null || a.length == 0) return;
        byte[] raw = new byte[a.length * 4];
        ByteBuffer.wrap(raw).asFloatBuffer().put(a);
        out.write(raw);
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        float[] a = new float[n];
        if (n == 0) return a;
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        ByteBuffer.wrap(raw).asFloatBuffer().get(a);
        return a;
    }
}
