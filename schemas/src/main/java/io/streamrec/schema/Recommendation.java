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

    public Recommendation() {}

    @Override
    public String toString() {
        return "Recommendation{" + requestId + ", user=" + userId + ", policy=" + policy + ", v" + modelVersion + ", " + items + '}';
    }
}
