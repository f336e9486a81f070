package io.streamrec.eval;

import io.streamrec.state.PositiveHistoryWindow;
import io.streamrec.state.RatedItemSet;
import io.streamrec.state.RecommendationRequest;
import java.util.HashMap;
import java.util.Map;

/** Per-user history outside Flink, with exactly the rules of {@code UserHistoryFunction}; builds each event's request. */
public final class RequestBuilder {
    private final int windowSize;
    private final double threshold;
    private final Map<Integer, int[]> windows = new HashMap<>();
    private final Map<Integer, int[]> rated = new HashMap<>();

    public RequestBuilder(int windowSize, double threshold) {
        this.windowSize = windowSize;
        this.threshold = threshold;
    }

    public RecommendationRequest next(String requestId, int user, int item, float rating, long ts) {
        int[] w = windows.get(user);
        if (rating >= threshold) {
            w = PositiveHistoryWindow.append(w, item, windowSize);
            windows.put(user, w);
        } else if (w != null && w.length > 0) {
            w = PositiveHistoryWindow.remove(w, item);
            windows.put(user, w);
        }
        int[] r = RatedItemSet.add(rated.get(user), item);
        rated.put(user, r);
        return new RecommendationRequest(
                requestId, user, item, rating, ts, w == null ? PositiveHistoryWindow.EMPTY : w, r);
    }

    /** The user's current state as a request that triggers nothing (for a one-off slate). */
    public RecommendationRequest current(int user, long ts) {
        int[] w = windows.get(user);
        int[] r = rated.get(user);
        return new RecommendationRequest(
                user + "-state-" + ts,
                user,
                -1,
                0f,
                ts,
                w == null ? PositiveHistoryWindow.EMPTY : w,
                r == null ? new int[0] : r);
    }
}
