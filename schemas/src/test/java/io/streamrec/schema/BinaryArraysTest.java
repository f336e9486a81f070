package io.streamrec.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checkpoint and state format of primitive arrays: the bytes of one writeInt/writeFloat per element. */
class BinaryArraysTest {
    @Test
    void writesTheBytesOfPerElementWritesAndReadsThemBack() throws IOException {
        Random random = new Random(7);
        for (int n : new int[] {1, 2, 10, 100, 1_000}) {
            int[] ints = random.ints(n).toArray();
            float[] floats = new float[n];
            for (int i = 0; i < n; i++) floats[i] = (float) random.nextGaussian() * 1e3f;
            floats[0] = Float.NEGATIVE_INFINITY;

            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(ours);
            BinaryArrays.writeInts(out, ints);
            BinaryArrays.writeFloats(out, floats);

            ByteArrayOutputStream reference = new ByteArrayOutputStream();
            DataOutputStream ref = new DataOutputStream(reference);
            ref.writeInt(n);
            for (int v : ints) ref.writeInt(v);
            ref.writeInt(n);
            for (float v : floats) ref.writeFloat(v);
            assertThat(ours.toByteArray()).isEqualTo(reference.toByteArray());

            DataInputStream in = new DataInputStream(new ByteArrayInputStream(ours.toByteArray()));
            assertThat(BinaryArrays.readInts(in)).isEqualTo(ints);
            assertThat(BinaryArrays.readFloats(in)).isEqualTo(floats);
        }
    }

    @Test
    void nullAndEmptyArraysKeepTheirDifference() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        BinaryArrays.writeInts(out, null);
        BinaryArrays.writeInts(out, new int[0]);
        BinaryArrays.writeFloats(out, null);
        BinaryArrays.writeFloats(out, new float[0]);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(BinaryArrays.readInts(in)).isNull();
        assertThat(BinaryArrays.readInts(in)).isEmpty();
        assertThat(BinaryArrays.readFloats(in)).isNull();
        assertThat(BinaryArrays.readFloats(in)).isEmpty();
    }
}
