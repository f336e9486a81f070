package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.streamrec.model.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrioritizedReplayBufferTest {
    @Test
    void samplesProportionallyToPriorityToTheAlpha() {
        PrioritizedReplayBuffer<Integer> buf = new PrioritizedReplayBuffer<>(5, 1.0, 0.4, 1000, 1e-6);
        for (int i = 0; i < 3; i++) buf.add(i);
        buf.updatePriorities(new int[] {0, 1, 2}, new float[] {1f, 2f, 5f});
        Rng rng = new Rng(3);
        int[] counts = new int[3];
        int draws = 0;
        for (int r = 0; r < 4000; r++) {
            for (int e : buf.sample(4, rng).entries()) {
                counts[e]++;
                draws++;
            }
        }
        assertThat(counts[0] / (double) draws).isCloseTo(1 / 8.0, offset(0.02));
        assertThat(counts[1] / (double) draws).isCloseTo(2 / 8.0, offset(0.02));
        assertThat(counts[2] / (double) draws).isCloseTo(5 / 8.0, offset(0.02));
    }

    @Test
    void importanceWeightsAreNormalisedAndBetaAnneals() {
        PrioritizedReplayBuffer<Integer> buf = new PrioritizedReplayBuffer<>(4, 0.5, 0.4, 10, 1e-6);
        for (int i = 0; i < 4; i++) buf.add(i);
        buf.updatePriorities(new int[] {0, 1, 2, 3}, new float[] {1f, 4f, 9f, 16f});
        assertThat(buf.beta()).isCloseTo(0.4, offset(1e-12));
        PrioritizedReplayBuffer.Sample<Integer> s = buf.sample(8, new Rng(1));
        double total = 1 + 2 + 3 + 4; // p^0.5
        double minP = 1 / total;
        for (int i = 0; i < 8; i++) {
            double p = buf.leaf(s.slots()[i]) / total;
            double expected = Math.pow(4 * p, -0.4) / Math.pow(4 * minP, -0.4);
            assertThat((double) s.weights()[i]).isCloseTo(expected, offset(1e-5));
            assertThat(s.weights()[i]).isLessThanOrEqualTo(1f);
        }
        for (int i = 0; i < 20; i++) buf.sample(1, new Rng(i));
        assertThat(buf.beta()).isEqualTo(1.0);
    }

    @Test
    void newEntriesGetTheMaxPriorityAndTheRingOverwritesTheOldest() {
        PrioritizedReplayBuffer<Integer> buf = new PrioritizedReplayBuffer<>(3, 1.0, 0.4, 10, 1e-6);
        buf.add(0);
        buf.updatePriorities(new int[] {0}, new float[] {7f});
        buf.add(1);
        assertThat(buf.leaf(1)).isCloseTo(7.0, offset(1e-5));
        buf.add(2);
        buf.add(3); // overwrites slot 0
        assertThat(buf.size()).isEqualTo(3);
        int seen3 = 0;
        Rng rng = new Rng(5);
        for (int r = 0; r < 200; r++)
            for (int e : buf.sample(3, rng).entries())
                if (e == 0) seen3 = -1000;
                else if (e == 3) seen3++;
        assertThat(seen3).isPositive();
    }

    @Test
    void serialisesExactly() throws Exception {
        PrioritizedReplayBuffer<Integer> buf = new PrioritizedReplayBuffer<>(6, 0.6, 0.4, 10, 1e-6);
        for (int i = 0; i < 9; i++) buf.add(i);
        buf.updatePriorities(new int[] {1, 2}, new float[] {0.5f, 3f});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(buf);
        }
        @SuppressWarnings("unchecked")
        PrioritizedReplayBuffer<Integer> copy = (PrioritizedReplayBuffer<Integer>)
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        var a = buf.sample(5, new Rng(9));
        var b = copy.sample(5, new Rng(9));
        assertThat(b.entries()).isEqualTo(a.entries());
        assertThat(b.weights()).containsExactly(a.weights());
    }

    /**
     * The binary checkpoint form restores a wrapped-around buffer exactly: the same samples, importance weights and β
     * afterwards, and the minimum priority (O(log n) min-tree) follows overwrites and updates.
     */
    @Test
    void binaryFormRestoresSamplingExactly() throws Exception {
        PrioritizedReplayBuffer<Experience> a = new PrioritizedReplayBuffer<>(6, 0.6, 0.4, 50, 1e-6);
        for (int i = 0; i < 9; i++) a.add(DrrLearnerTest.experience(i)); // wraps: slots 0..2 overwritten
        a.updatePriorities(new int[] {0, 3, 5}, new float[] {0.01f, 3f, 0.5f});
        a.sample(4, new Rng(5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            a.writeTo(out, Experience.CODEC);
        }
        PrioritizedReplayBuffer<Experience> b;
        try (java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            b = PrioritizedReplayBuffer.readFrom(in, Experience.CODEC);
        }
        assertThat(b.size()).isEqualTo(6);
        assertThat(b.total()).isEqualTo(a.total());
        assertThat(b.beta()).isEqualTo(a.beta());
        Rng ra = new Rng(9);
        Rng rb = new Rng(9);
        for (int r = 0; r < 5; r++) {
            PrioritizedReplayBuffer.Sample<Experience> sa = a.sample(4, ra);
            PrioritizedReplayBuffer.Sample<Experience> sb = b.sample(4, rb);
            assertThat(sb.slots()).isEqualTo(sa.slots());
            assertThat(sb.weights()).isEqualTo(sa.weights());
            for (int i = 0; i < 4; i++) {
                Experience x = sa.entries().get(i);
                Experience y = sb.entries().get(i);
                assertThat(y.userId()).isEqualTo(x.userId());
                assertThat(y.window()).isEqualTo(x.window());
                assertThat(y.action()).isEqualTo(x.action());
                assertThat(y.reward()).isEqualTo(x.reward());
                assertThat(y.nextWindow()).isEqualTo(x.nextWindow());
                assertThat(y.done()).isEqualTo(x.done());
                assertThat(y.positives()).isEqualTo(x.positives());
            }
        }
        // The weights are normalised by the smallest priority (the min-tree): w_i = (p_i / p_min)^-β, the largest 1.
        double minLeaf = Double.MAX_VALUE;
        for (int i = 0; i < 6; i++) minLeaf = Math.min(minLeaf, b.leaf(i));
        double beta = b.beta();
        PrioritizedReplayBuffer.Sample<Experience> s = b.sample(6, new Rng(1));
        for (int i = 0; i < 6; i++) {
            assertThat((double) s.weights()[i])
                    .isCloseTo(Math.pow(b.leaf(s.slots()[i]) / minLeaf, -beta), offset(1e-6));
        }
    }

    /**
     * A checkpoint copies the entries an earlier one encoded and encodes only the new ones: after the ring overwrote
     * slots, the bytes equal those of a buffer that never wrote a checkpoint, and restore the current entries.
     */
    @Test
    void aLaterCheckpointWritesTheOverwrittenSlotsAnew() throws Exception {
        PrioritizedReplayBuffer<Experience> cached = new PrioritizedReplayBuffer<>(8, 0.6, 0.4, 100, 1e-6);
        PrioritizedReplayBuffer<Experience> fresh = new PrioritizedReplayBuffer<>(8, 0.6, 0.4, 100, 1e-6);
        for (int i = 0; i < 6; i++) {
            cached.add(experience(i));
            fresh.add(experience(i));
        }
        binary(cached); // encodes slots 0–5
        for (int i = 6; i < 11; i++) { // slots 6, 7, then 0, 1, 2 overwritten
            cached.add(experience(i));
            fresh.add(experience(i));
        }
        byte[] later = binary(cached);
        assertThat(later).isEqualTo(binary(fresh));
        PrioritizedReplayBuffer<Experience> restored;
        try (java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(later))) {
            restored = PrioritizedReplayBuffer.readFrom(in, Experience.CODEC);
        }
        for (int slot = 0; slot < 8; slot++) {
            int expectedUser = slot <= 2 ? slot + 8 : slot;
            assertThat(restored.get(slot).userId()).isEqualTo(expectedUser);
            assertThat(restored.get(slot).window()).containsExactly(expectedUser, expectedUser + 1);
        }
    }

    /**
     * Entries go to a checkpoint in runs of {@link PrioritizedReplayBuffer#SLOTS_PER_CHUNK} slots: a run the ring did
     * not touch since the last checkpoint is handed over as the same array, a run it wrote into is encoded anew, and
     * the chunks still concatenate to the whole form.
     */
    @Test
    void onlyTheRunsTheRingWroteIntoAreEncodedAnew() throws Exception {
        int run = PrioritizedReplayBuffer.SLOTS_PER_CHUNK;
        int capacity = 2 * run + 100;
        PrioritizedReplayBuffer<Experience> cached = new PrioritizedReplayBuffer<>(capacity, 0.6, 0.4, 100, 1e-6);
        PrioritizedReplayBuffer<Experience> fresh = new PrioritizedReplayBuffer<>(capacity, 0.6, 0.4, 100, 1e-6);
        for (int i = 0; i < capacity; i++) {
            cached.add(experience(i));
            fresh.add(experience(i));
        }
        List<byte[]> first = new ArrayList<>();
        cached.addSlotChunks(first, Experience.CODEC);
        assertThat(first).hasSize(1 + 3); // the leaves, then three runs
        for (int i = 0; i < 10; i++) { // the ring wraps: slots 0–9, all in the first run
            cached.add(experience(capacity + i));
            fresh.add(experience(capacity + i));
        }
        List<byte[]> second = new ArrayList<>();
        cached.addSlotChunks(second, Experience.CODEC);
        assertThat(second.get(1)).isNotSameAs(first.get(1));
        assertThat(second.get(2)).isSameAs(first.get(2));
        assertThat(second.get(3)).isSameAs(first.get(3));
        assertThat(binary(cached)).isEqualTo(binary(fresh));
        PrioritizedReplayBuffer<Experience> restored;
        try (java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(binary(cached)))) {
            restored = PrioritizedReplayBuffer.readFrom(in, Experience.CODEC);
        }
        assertThat(restored.get(3).userId()).isEqualTo(capacity + 3);
        assertThat(restored.get(run + 5).userId()).isEqualTo(run + 5);
        assertThat(restored.get(capacity - 1).userId()).isEqualTo(capacity - 1);
        for (int slot = 0; slot < capacity; slot += 97)
            assertThat(restored.leaf(slot)).isEqualTo(cached.leaf(slot));
    }

    private static Experience experience(int user) {
        return new Experience(
                user, new int[] {user, user + 1}, new float[] {user, -user}, 1f, new int[] {user + 1}, false);
    }

    private static byte[] binary(PrioritizedReplayBuffer<Experience> buffer) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            buffer.writeTo(out, Experience.CODEC);
        }
        return bytes.toByteArray();
    }
}
