package io.streamrec.learner;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.streamrec.model.ActorWeights;
import io.streamrec.schema.BinaryArrays;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner's checkpoint format ("DRL5"): everything needed to continue exactly, in a compact binary form — a
 * header, the counters, the RNG, every tensor with its moments and target as raw floats, the used user rows, the
 * replay buffer in binary, the seen items; only the settings and the last publication go through Java serialisation.
 */
final class LearnerSnapshot {
    // "DRL5": the replay buffer's leaves before its entries, so the entries go in runs (DRL4: leaf and entry per slot)
    private static final int MAGIC = 0x44524C35;

    private LearnerSnapshot() {}

    /** The snapshot as one array: the concatenation of {@link #writeChunks}. */
    static byte[] write(DrrLearner learner) {
        return concat(writeChunks(learner));
    }

    /**
     * The snapshot in chunks whose concatenation is the format: a head (counters, tensors, the replay buffer's
     * header), then the replay slots' leaves and their entries in cached runs, then a tail (the seen items). A checkpoint keeps them
     * as separate list elements: the entries are not copied on the learner's thread (copying and allocating the ~80 MB
     * of a full buffer every checkpoint stalled the learner, and through the joiner the stream that feeds serving).
     */
    static List<byte[]> writeChunks(DrrLearner learner) {
        List<byte[]> chunks = new ArrayList<>(learner.buffer.size() / PrioritizedReplayBuffer.SLOTS_PER_CHUNK + 4);
        // Sized from the previous head (~15 MB of tensors): growing by doubling copied it several times.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(learner.snapshotSizeHint);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeLong(learner.observed);
            out.writeLong(learner.steps);
            out.writeLong(learner.skipped);
            out.writeLong(learner.dropped);
            out.writeDouble(learner.credit);
            out.writeFloat(learner.rewardMin);
            out.writeFloat(learner.rewardMax);
            out.writeLong(learner.publishedAtStep);
            out.writeLong(learner.version);
            out.writeLong(learner.publications);
            out.writeLong(learner.rng.state());
            DrrLearner.StepResult lastStep = learner.lastStep;
            out.writeBoolean(lastStep.trained());
            out.writeBoolean(lastStep.skipped());
            out.writeFloat(lastStep.criticLoss());
            out.writeFloat(lastStep.actorLoss());
            out.writeFloat(lastStep.auxLoss());
            out.writeFloat(lastStep.meanAbsTdError());
            writeObject(out, learner.settings);
            writeObject(out, learner.lastPublished);
            UserTable users = learner.users;
            int used = users.used();
            out.writeInt(used);
            for (int r = 0; r < used; r++) out.writeInt(users.userAt(r));
            for (int r = 0; r < used; r++) out.writeBoolean(users.isTrained(r));
            out.writeInt(learner.networks.params.size());
            for (LearnerTensor p : learner.networks.params) {
                out.writeUTF(p.name);
                boolean table = p == users.tensor();
                BinaryArrays.writeFloats(out, table ? users.usedRows(p.value) : p.value.toFloatArray());
                BinaryArrays.writeFloats(out, table ? users.usedRows(p.m) : p.m.toFloatArray());
                BinaryArrays.writeFloats(out, table ? users.usedRows(p.v) : p.v.toFloatArray());
                out.writeBoolean(p.target != null);
                if (p.target != null) BinaryArrays.writeFloats(out, p.target.toFloatArray());
            }
            learner.buffer.writeHeader(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        learner.snapshotSizeHint = bytes.size() + bytes.size() / 16;
        chunks.add(bytes.toByteArray());
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(tail)) {
            learner.buffer.addSlotChunks(chunks, Experience.CODEC);
            out.writeInt(learner.seenItems.users());
            for (Map.Entry<Integer, int[]> e : learner.seenItems.entries()) {
                out.writeInt(e.getKey());
                BinaryArrays.writeInts(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunks.add(tail.toByteArray());
        return chunks;
    }

    /** The chunks of {@link #writeChunks} (or a whole snapshot as one chunk) as one array. */
    static byte[] concat(List<byte[]> chunks) {
        long total = 0;
        for (byte[] c : chunks) total += c.length;
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("learner snapshot over 2 GB");
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    static DrrLearner read(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a DRR learner snapshot of this version");
            }
            long observed = in.readLong();
            long steps = in.readLong();
            long skipped = in.readLong();
            long dropped = in.readLong();
            double credit = in.readDouble();
            float rewardMin = in.readFloat();
            float rewardMax = in.readFloat();
            long publishedAtStep = in.readLong();
            long version = in.readLong();
            long publications = in.readLong();
            long rngState = in.readLong();
            DrrLearner.StepResult last = new DrrLearner.StepResult(
                    in.readBoolean(), in.readBoolean(), in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
            LearnerSettings settings = (LearnerSettings) readObject(in);
            ActorWeights lastPublished = (ActorWeights) readObject(in);
            int used = in.readInt();
            int[] userIds = new int[used];
            for (int r = 0; r < used; r++) userIds[r] = in.readInt();
            BitSet trained = new BitSet();
            for (int r = 0; r < used; r++) if (in.readBoolean()) trained.set(r);
            int count = in.readInt();
            Map<String, float[][]> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                float[][] t = new float[4][];
                t[0] = BinaryArrays.readFloats(in);
                t[1] = BinaryArrays.readFloats(in);
                t[2] = BinaryArrays.readFloats(in);
                if (in.readBoolean()) t[3] = BinaryArrays.readFloats(in);
                tensors.put(name, t);
            }
            PrioritizedReplayBuffer<Experience> buffer = PrioritizedReplayBuffer.readFrom(in, Experience.CODEC);
            int seenUsers = in.readInt();
            Map<Integer, int[]> seen = new HashMap<>();
            for (int i = 0; i < seenUsers; i++) seen.put(in.readInt(), BinaryArrays.readInts(in));

            // Built with the last publication's shapes (and no user rows), then every array overwritten.
            Map<String, float[]> dense = new LinkedHashMap<>();
            for (String name : ActorWeights.TENSOR_NAMES) dense.put(name, lastPublished.tensor(name));
            int[] ids = new int[lastPublished.itemCount()];
            for (int i = 0; i < ids.length; i++) ids[i] = lastPublished.itemIdAt(i);
            ActorWeights shape = new ActorWeights(
                    version,
                    lastPublished.seed(),
                    lastPublished.embeddingDim(),
                    lastPublished.hiddenDim(),
                    lastPublished.windowSize(),
                    lastPublished.stateRepresentation(),
                    dense,
                    ids,
                    lastPublished.itemMatrix(),
                    Map.of());
            DrrLearner learner = new DrrLearner(settings, shape);
            loadTensors(learner, tensors, userIds);
            learner.users.setTrained(trained);
            learner.observed = observed;
            learner.steps = steps;
            learner.skipped = skipped;
            learner.dropped = dropped;
            learner.credit = credit;
            learner.rewardMin = rewardMin;
            learner.rewardMax = rewardMax;
            learner.seenItems.putAll(seen);
            learner.publishedAtStep = publishedAtStep;
            learner.version = version;
            learner.publications = publications;
            learner.rng.setState(rngState);
            learner.lastStep = last;
            learner.lastPublished = lastPublished;
            learner.buffer = buffer;
            return learner;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every restored value, moment, target and user row into the freshly built arrays. */
    private static void loadTensors(DrrLearner learner, Map<String, float[][]> tensors, int[] userIds) {
        UserTable users = learner.users;
        users.assignRows(userIds);
        int d = learner.embeddingDim();
        try (NDManager tmp = learner.manager.newSubManager()) {
            for (LearnerTensor p : learner.networks.params) {
                float[][] t = tensors.get(p.name);
                if (t == null) throw new IllegalArgumentException("snapshot lacks tensor " + p.name);
                if (p == users.tensor()) {
                    int used = userIds.length;
                    if (used > 0) {
                        Shape rowsShape = new Shape(used, d);
                        NDIndex head = new NDIndex("0:" + used);
                        p.value.set(head, tmp.create(t[0], rowsShape));
                        p.m.set(head, tmp.create(t[1], rowsShape));
                        p.v.set(head, tmp.create(t[2], rowsShape));
                    }
                    continue;
                }
                p.value.set(new NDIndex("..."), tmp.create(t[0], p.value.getShape()));
                p.m.set(new NDIndex("..."), tmp.create(t[1], p.m.getShape()));
                p.v.set(new NDIndex("..."), tmp.create(t[2], p.v.getShape()));
                if (p.target != null) {
                    if (t[3] == null) throw new IllegalArgumentException("snapshot lacks the target of " + p.name);
                    p.target.set(new NDIndex("..."), tmp.create(t[3], p.target.getShape()));
                }
            }
        }
    }

    private static void writeObject(DataOutputStream out, Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(value);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    private static Object readObject(DataInputStream in) throws IOException {
        byte[] raw = new byte[in.readInt()];
        in.readFully(raw);
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(raw))) {
            return o.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
