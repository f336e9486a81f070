package io.streamrec.schema;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Primitive arrays in binary state and checkpoint formats: a length (-1 for null), then the elements big-endian — the
 * same bytes as one {@code writeInt}/{@code writeFloat} per element, written through one byte[] (the per-element calls
 * were a visible part of the profile where d-float actions are rewritten per event). The bytes are filled through a
 * byte-array view (compiled to plain stores); an {@code IntBuffer} view's bulk put is a native byte-swapping copy per
 * array, which for the joiner's ten-int windows and slates cost more than the copy (a quarter of its samples in the
 * soak's profile).
 */
public final class BinaryArrays {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private BinaryArrays() {}

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null || a.length == 0) return;
        byte[] raw = new byte[a.length * 4];
        for (int i = 0; i < a.length; i++) INT.set(raw, i * 4, a[i]);
        out.write(raw);
    }

    public static int[] readInts(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        int[] a = new int[n];
        if (n == 0) return a;
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        for (int i = 0; i < n; i++) a[i] = (int) INT.get(raw, i * 4);
        return a;
    }

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null || a.length == 0) return;
        byte[] raw = new byte[a.length * 4];
        for (int i = 0; i < a.length; i++) FLOAT.set(raw, i * 4, a[i]);
        out.write(raw);
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        float[] a = new float[n];
        if (n == 0) return a;
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        for (int i = 0; i < n; i++) a[i] = (float) FLOAT.get(raw, i * 4);
        return a;
    }
}
