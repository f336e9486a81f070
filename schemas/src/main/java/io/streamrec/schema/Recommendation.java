package io.streamrec.schema;

import java.util.ArrayList;
import java.util.List;

/** A ranked top-k slate for one user on the {@code recommendations} topic (see its schema file). */
public class Recommendation implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String requestId;
    public int userId;
    public List<RecommendedItem> items = new ArrayList<>();
    public String policy;
    public long modelVersion;
    /** Event time of the triggering rating, epoch ms. */
    public long eventTime;
    /** Wall-clock time the slate was produced, epoch ms. */
    public long emitTime;
    /**
     * Internal to the job, never written to the topic: the state s_t (positive window, oldest first) and the action
     * a_t that produced this slate, for the reward joiner.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int[] stateWindow;

    @com.fasterxml.jackson.annotation.JsonIgnore
    public float[] action;
    /**
     * Internal to the job: when the actor explored, the item ids of its greedy (noise-free) slate, which the online
     * evaluation judges as a shadow policy ({@code drr-greedy}); null otherwise.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int[] greedyItems;

    public Recommendation() {}

    @Override
    public String toString() {
        return "Recommendation{" + requestId + ", user=" + userId + ", policy=" + policy + ", v" + modelVersion + ", "
                + items + '}';
    }
}
