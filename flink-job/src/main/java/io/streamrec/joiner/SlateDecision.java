package io.streamrec.joiner;

import java.util.Arrays;

/**
 * What the actor decided for one request, as the reward joiner needs it: the state s_t (user id + positive window),
 * the action a_t and the slate. Internal to the job (never written to the public {@code recommendations} topic).
 * A Flink POJO.
 */
public class SlateDecision implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String requestId;
    public int userId;
    public String policy;
    public long modelVersion;
    /** Event time of the triggering rating, epoch ms. */
    public long eventTime;

    public int[] window = new int[0];
    public float[] action = new float[0];
    public int[] slate = new int[0];

    public SlateDecision() {}

    public SlateDecision(
            String requestId,
            int userId,
            String policy,
            long modelVersion,
            long eventTime,
            int[] window,
            float[] action,
            int[] slate) {
        this.requestId = requestId;
        this.userId = userId;
        this.policy = policy;
        this.modelVersion = modelVersion;
        this.eventTime = eventTime;
        this.window = window == null ? new int[0] : window;
        this.action = action == null ? new float[0] : action;
        this.slate = slate == null ? new int[0] : slate;
    }

    @Override
    public String toString() {
        return "SlateDecision{" + requestId + ", user=" + userId + ", v" + modelVersion + ", t=" + eventTime
                + ", slate=" + Arrays.toString(slate) + '}';
    }
}
