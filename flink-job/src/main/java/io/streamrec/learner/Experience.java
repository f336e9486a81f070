package io.streamrec.learner;

import java.io.Serializable;

/**
 * One replayed transition as the learner stores it: the state (user id + positive window, oldest first) before the
 * slate, the action vector the actor emitted (after exploration noise), the reward, the next state and whether the
 * episode (session) ended, plus the items the user rated positively within the reward horizon (for the auxiliary
 * item-level loss).
 */
public record Experience(int userId, int[] window, float[] action, float reward, int[] nextWindow, boolean done,
                         int[] positives) implements Serializable {
    public Experience(int userId, int[] window, float[] action, float reward, int[] nextWindow, boolean done) {
        this(userId, window, action, reward, nextWindow, done, new int[0]);
    }

    public Experience {
        positives = positives == null ? new int[0] : positives.clone();
        window = window == null ? new int[0] : window.clone();
        nextWindow = nextWindow == null ? new int[0] : nextWindow.clone();
        if (action == null) throw new IllegalArgumentException("action missing");
        action = action.clone();
    }

    /** The binary form of an experience in a learner checkpoint. */
    static final PrioritizedReplayBuffer.EntryCodec<Experience> CODEC = new PrioritizedReplayBuffer.EntryCodec<>() {
        @Override
        public void write(java.io.DataOutput out, Experience e) throws java.io.IOException {
            out.writeInt(e.userId);
            writeInts(out, e.window);
            out.writeInt(e.action.length);
            byte[] raw = new byte[e.action.length * 4];
            java.nio.ByteBuffer.wrap(raw).asFloatBuffer().put(e.action);
            out.write(raw);
            out.writeFloat(e.reward);
            writeInts(out, e.nextWindow);
            out.writeBoolean(e.done);
            writeInts(out, e.positives);
        }

        @Override
        public Experience read(java.io.DataInput in) throws java.io.IOException {
            int user = in.readInt();
            int[] window = readInts(in);
            float[] action = new float[in.readInt()];
            byte[] raw = new byte[action.length * 4];
            in.readFully(raw);
            java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(action);
            float reward = in.readFloat();
            int[] next = readInts(in);
            boolean done = in.readBoolean();
            return new Experience(user, window, action, reward, next, done, readInts(in));
        }

        private void writeInts(java.io.DataOutput out, int[] a) throws java.io.IOException {
            out.writeInt(a.length);
            byte[] raw = new byte[a.length * 4];
            java.nio.ByteBuffer.wrap(raw).asIntBuffer().put(a);
            out.write(raw);
        }

        private int[] readInts(java.io.DataInput in) throws java.io.IOException {
            int[] a = new int[in.readInt()];
            byte[] raw = new byte[a.length * 4];
            in.readFully(raw);
            java.nio.ByteBuffer.wrap(raw).asIntBuffer().get(a);
            return a;
        }
    };
}
