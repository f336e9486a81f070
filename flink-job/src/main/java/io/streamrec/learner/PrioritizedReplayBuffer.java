package io.streamrec.learner;

import io.streamrec.model.Rng;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proportional prioritized experience replay (Schaul et al. 2016) over a sum tree: entry i is sampled with probability
 * {@code p_i^α / Σ p^α}; new entries get the largest priority seen so far; each sample carries the importance weight
 * {@code (N·P(i))^-β / max_j w_j} with β annealed linearly from β₀ to 1 over {@code betaSteps} samples. A ring of
 * {@code capacity} entries (oldest overwritten). Stratified sampling: the total mass is cut into B equal segments and
 * one entry drawn from each. The whole object, contents included, is serialisable for checkpoints.
 */
public final class PrioritizedReplayBuffer<E extends Serializable> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final double alpha;
    private final double beta0;
    private final long betaSteps;
    private final double priorityEps;
    /** Sum tree of p^α: leaves at [leaves, 2·leaves), node i = tree[2i] + tree[2i+1]. */
    private final double[] tree;
    /** Min tree over the same leaves (empty leaves +∞): the smallest priority in O(1), kept in O(log n). */
    private final double[] minTree;
    /** Leaves of the sum tree: the capacity rounded up to a power of two (top-down search needs a complete tree). */
    private final int leaves;

    private final Object[] entries;
    /**
     * The entries of each run of {@link #SLOTS_PER_CHUNK} slots as the codec last wrote them, null until a checkpoint
     * writes them and again once the ring puts a new entry into the run (entries never change once added): a
     * checkpoint encodes only the runs that changed since the previous one and hands the rest over as they are.
     * Re-encoding all 100,000 entries per checkpoint stalled the learner's thread for most of a second in the soak;
     * handing them over one array per slot made 200,000 list elements per checkpoint, each with its own offset in
     * Flink's operator-state metadata and its own file-position call when written.
     */
    private transient byte[][] encodedRuns;

    private transient EntryCodec<?> encodedBy;
    /** Slots per cached run: ~1,000 entries of ~800 bytes, so a full buffer is ~100 chunks of under 1 MB. */
    static final int SLOTS_PER_CHUNK = 1024;

    private int next;
    private int size;
    private double maxPriority = 1.0;
    private long sampleCalls;

    public PrioritizedReplayBuffer(int capacity, double alpha, double beta0, long betaSteps, double priorityEps) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        if (alpha < 0) throw new IllegalArgumentException("alpha must be >= 0, got " + alpha);
        if (beta0 < 0 || beta0 > 1) throw new IllegalArgumentException("beta0 must be in [0,1], got " + beta0);
        if (priorityEps <= 0) throw new IllegalArgumentException("priority epsilon must be > 0");
        this.capacity = capacity;
        this.alpha = alpha;
        this.beta0 = beta0;
        this.betaSteps = Math.max(1, betaSteps);
        this.priorityEps = priorityEps;
        this.leaves = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
        this.tree = new double[2 * leaves];
        this.minTree = new double[2 * leaves];
        Arrays.fill(minTree, Double.POSITIVE_INFINITY);
        this.entries = new Object[capacity];
    }

    /** Writes and reads one entry in a checkpoint. */
    public interface EntryCodec<E> {
        void write(DataOutput out, E entry) throws IOException;

        E read(DataInput in) throws IOException;
    }

    /**
     * The buffer in a compact binary form: its settings and counters, then every filled slot's priority leaf, then
     * the entries in slot order. The sum and min trees are not written: every inner node is a function of its two children, so
     * {@link #readFrom} rebuilds them exactly.
     */
    public void writeTo(DataOutput out, EntryCodec<E> codec) throws IOException {
        writeHeader(out);
        List<byte[]> chunks = new ArrayList<>();
        addSlotChunks(chunks, codec);
        for (byte[] chunk : chunks) out.write(chunk);
    }

    /** The settings and counters of {@link #writeTo}'s form, before the slots. */
    public void writeHeader(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeDouble(alpha);
        out.writeDouble(beta0);
        out.writeLong(betaSteps);
        out.writeDouble(priorityEps);
        out.writeInt(next);
        out.writeInt(size);
        out.writeDouble(maxPriority);
        out.writeLong(sampleCalls);
    }

    /**
     * The slots of {@link #writeTo}'s form as chunks whose concatenation follows {@link #writeHeader}: every slot's
     * leaf (8 bytes each; priorities change with every training step), then the entries in runs of
     * {@link #SLOTS_PER_CHUNK} slots, each run's cached encoding shared, not copied (a checkpoint hands them to
     * Flink's operator state as they are, so the learner's thread neither copies nor allocates the ~80 MB of a full
     * buffer).
     */
    public void addSlotChunks(List<byte[]> chunks, EntryCodec<E> codec) throws IOException {
        byte[] leafBytes = new byte[8 * size];
        for (int i = 0; i < size; i++) {
            long bits = Double.doubleToLongBits(tree[leaves + i]);
            for (int b = 0; b < 8; b++) leafBytes[8 * i + b] = (byte) (bits >>> (56 - 8 * b));
        }
        chunks.add(leafBytes);
        for (int run = 0; run * SLOTS_PER_CHUNK < size; run++) chunks.add(encodedRun(run, codec));
    }

    /** The entries of run {@code run} (slots run·R .. min(run·R + R, size)) as {@code codec} writes them, cached. */
    private byte[] encodedRun(int run, EntryCodec<E> codec) throws IOException {
        if (encodedRuns == null || encodedBy != codec) {
            encodedRuns = new byte[(capacity + SLOTS_PER_CHUNK - 1) / SLOTS_PER_CHUNK][];
            encodedBy = codec;
        }
        byte[] bytes = encodedRuns[run];
        if (bytes == null) {
            ByteArrayOutputStream scratch = new ByteArrayOutputStream(SLOTS_PER_CHUNK * 1024);
            DataOutputStream out = new DataOutputStream(scratch);
            int end = Math.min(size, (run + 1) * SLOTS_PER_CHUNK);
            for (int i = run * SLOTS_PER_CHUNK; i < end; i++) {
                @SuppressWarnings("unchecked")
                E e = (E) entries[i];
                codec.write(out, e);
            }
            out.flush();
            bytes = encodedRuns[run] = scratch.toByteArray();
        }
        return bytes;
    }

    public static <E extends Serializable> PrioritizedReplayBuffer<E> readFrom(DataInput in, EntryCodec<E> codec)
            throws IOException {
        PrioritizedReplayBuffer<E> b = new PrioritizedReplayBuffer<>(
                in.readInt(), in.readDouble(), in.readDouble(), in.readLong(), in.readDouble());
        b.next = in.readInt();
        b.size = in.readInt();
        b.maxPriority = in.readDouble();
        b.sampleCalls = in.readLong();
        double[] leafValues = new double[b.size];
        for (int i = 0; i < b.size; i++) leafValues[i] = in.readDouble();
        for (int i = 0; i < b.size; i++) {
            b.entries[i] = codec.read(in);
            b.setLeaf(i, leafValues[i]);
        }
        return b;
    }

    /** A drawn batch: slots (to update priorities), entries, importance weights (max 1). */
    public record Sample<E>(int[] slots, List<E> entries, float[] weights, double beta) {}

    public void add(E entry) {
        entries[next] = entry;
        if (encodedRuns != null) encodedRuns[next / SLOTS_PER_CHUNK] = null;
        setLeaf(next, Math.pow(maxPriority, alpha));
        next = (next + 1) % capacity;
        if (size < capacity) size++;
    }

    public int size() {
        return size;
    }

    /** The entry in slot {@code slot} (0 ≤ slot < size). */
    @SuppressWarnings("unchecked")
    public E get(int slot) {
        if (slot < 0 || slot >= size) throw new IndexOutOfBoundsException(slot + " of " + size);
        return (E) entries[slot];
    }

    public int capacity() {
        return capacity;
    }

    /** β of the next sample. */
    public double beta() {
        return Math.min(1.0, beta0 + (1.0 - beta0) * sampleCalls / betaSteps);
    }

    public double total() {
        return tree[1];
    }

    /** Draws {@code batch} entries (with replacement across segments) by priority. */
    @SuppressWarnings("unchecked")
    public Sample<E> sample(int batch, Rng rng) {
        if (size == 0) throw new IllegalStateException("the replay buffer is empty");
        double beta = beta();
        sampleCalls++;
        double total = tree[1];
        double segment = total / batch;
        int[] slots = new int[batch];
        float[] weights = new float[batch];
        List<E> out = new ArrayList<>(batch);
        double minProb = minTree[1] / total;
        double maxWeight = Math.pow(size * minProb, -beta);
        for (int b = 0; b < batch; b++) {
            double mass = (b + rng.nextDouble()) * segment;
            int slot = find(mass);
            slots[b] = slot;
            out.add((E) entries[slot]);
            double prob = tree[leaves + slot] / total;
            weights[b] = (float) (Math.pow(size * prob, -beta) / maxWeight);
        }
        return new Sample<>(slots, out, weights, beta);
    }

    /** Sets the priority of each slot to {@code |tdError| + ε}. */
    public void updatePriorities(int[] slots, float[] tdErrors) {
        for (int i = 0; i < slots.length; i++) {
            double p = Math.abs(tdErrors[i]) + priorityEps;
            if (!Double.isFinite(p)) continue;
            maxPriority = Math.max(maxPriority, p);
            setLeaf(slots[i], Math.pow(p, alpha));
        }
    }

    /** Priority^α of a slot (for tests). */
    public double leaf(int slot) {
        return tree[leaves + slot];
    }

    private int find(double mass) {
        int node = 1;
        while (node < leaves) {
            int left = 2 * node;
            if (mass < tree[left] || tree[left + 1] <= 0) {
                node = left;
            } else {
                mass -= tree[left];
                node = left + 1;
            }
        }
        int slot = node - leaves;
        // Floating-point slack can land on an empty leaf past the filled prefix; fall back into it.
        return Math.min(slot, size - 1);
    }

    private void setLeaf(int slot, double value) {
        int node = leaves + slot;
        tree[node] = value;
        minTree[node] = value;
        node >>= 1;
        while (node >= 1) {
            tree[node] = tree[2 * node] + tree[2 * node + 1];
            minTree[node] = Math.min(minTree[2 * node], minTree[2 * node + 1]);
            node >>= 1;
        }
    }
}
