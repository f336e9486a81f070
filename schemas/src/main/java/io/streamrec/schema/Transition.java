package io.streamrec.schema;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One reward transition (s_t, a_t, r_t, s_t+1, done) on the {@code transitions} topic (see its schema file): a
 * recommendation joined with the same user's later ratings by the reward joiner.
 */
public class Transition implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The state a policy sees: the user and the positive-history window (oldest first). */
    public static class UserState implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        public int userId;
        public int[] window = new int[0];

        public UserState() {}

        public UserState(int userId, int[] window) {
            this.userId = userId;
            this.window = window == null ? new int[0] : window;
        }
    }

    public String requestId;
    public int userId;
    public String policy;
    public long modelVersion;
    public UserState state;
    /**
     * The action vector a_t the actor emitted (after exploration noise); on the topic one base64 float32 string
     * ({@link Float32Base64}): formatting d decimals per transition was a third of the reward joiner's Java profile.
     */
    @JsonSerialize(using = Float32Base64.Serializer.class)
    @JsonDeserialize(using = Float32Base64.Deserializer.class)
    public float[] action = new float[0];
    /** The recommended item ids, ranked. */
    public int[] slate = new int[0];

    public float reward;
    /** Slate items the user rated within the horizon. */
    public int hits;
    /** Ratings of the user that fell within the horizon (at most H). */
    public int horizonEvents;
    /** Items (recommended or not) the user rated at or above the positive threshold within the horizon. */
    public int[] horizonPositives = new int[0];

    public UserState nextState;
    /** The session ended (event-time gap) before this transition completed. */
    public boolean done;
    /** Event time of the recommendation, epoch ms. */
    public long recommendedAt;
    /** Event time of the last event this transition uses (its completion time), epoch ms; never earlier than recommendedAt. */
    public long eventTime;

    public Transition() {}

    @Override
    public String toString() {
        return "Transition{" + requestId + ", user=" + userId + ", r=" + reward + ", hits=" + hits + ", done=" + done
                + ", v" + modelVersion + '}';
    }
}
