package io.streamrec.learner;

import io.streamrec.schema.BinaryArrays;
import io.streamrec.schema.Transition;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One replayed transition as the learner stores it: the state (user id + positive window, oldest first) before the
 * slate, the action vector the actor emitted (after exploration noise), the reward, the next state and whether the
 * episode (session) ended, the items the user rated positively within the reward horizon (for the auxiliary
 * item-level loss) and the slate served (for the item-level critic).
 */
public record Experience(
        int userId,
        int[] window,
        float[] action,
        float reward,
        int[] nextWindow,
        boolean done,
        int[] positives,
        int[] slate)
        implements Serializable {
    public Experience(int userId, int[] window, float[] action, float reward, int[] nextWindow, boolean done) {
        this(userId, window, action, reward, nextWindow, done, new int[0], new int[0]);
    }

    public Experience(
            int userId, int[] window, float[] action, float reward, int[] nextWindow, boolean done, int[] positives) {
        this(userId, window, action, reward, nextWindow, done, positives, new int[0]);
    }

    /**
     * The learner's view of a transition. With {@code slateHitsOnly} the positives are only the horizon positives the
     * served slate contained (in horizon order): what the user did outside the slate stays unknown to the learner.
     */
    public static Experience of(Transition t, boolean slateHitsOnly) {
        int[] positives = t.horizonPositives;
        if (slateHitsOnly && positives != null) {
            int[] slate = t.slate == null ? new int[0] : t.slate.clone();
            Arrays.sort(slate);
            positives = Arrays.stream(positives)
                    .filter(i -> Arrays.binarySearch(slate, i) >= 0)
                    .toArray();
        }
        return new Experience(
                t.userId,
                t.state == null ? null : t.state.window,
                t.action,
                t.reward,
                t.nextState == null ? null : t.nextState.window,
                t.done,
                positives,
                t.slate);
    }

    public Experience {
        positives = positives == null ? new int[0] : positives.clone();
        slate = slate == null ? new int[0] : slate.clone();
        window = window == null ? new int[0] : window.clone();
        nextWindow = nextWindow == null ? new int[0] : nextWindow.clone();
        if (action == null) throw new IllegalArgumentException("action missing");
        action = action.clone();
    }

    /** The binary form of an experience in a learner checkpoint. */
    static final PrioritizedReplayBuffer.EntryCodec<Experience> CODEC = new PrioritizedReplayBuffer.EntryCodec<>() {
        @Override
        public void write(DataOutput out, Experience e) throws IOException {
            out.writeInt(e.userId);
            BinaryArrays.writeInts(out, e.window);
            BinaryArrays.writeFloats(out, e.action);
            out.writeFloat(e.reward);
            BinaryArrays.writeInts(out, e.nextWindow);
            out.writeBoolean(e.done);
            BinaryArrays.writeInts(out, e.positives);
            BinaryArrays.writeInts(out, e.slate);
        }

        @Override
        public Experience read(DataInput in) throws IOException {
            return new Experience(
                    in.readInt(),
                    BinaryArrays.readInts(in),
                    BinaryArrays.readFloats(in),
                    in.readFloat(),
                    BinaryArrays.readInts(in),
                    in.readBoolean(),
                    BinaryArrays.readInts(in),
                    BinaryArrays.readInts(in));
        }
    };
}
