package io.streamrec.state;

import io.streamrec.operators.EventTimeOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of requests at one event time in a deterministic replay: by user id, each user's requests in their
 * arrival order (one user's events travel one channel in order). The prequential harness replays its log in the same
 * order (time, then user, then the log's own order).
 */
public enum RequestOrder implements EventTimeOrder.SameTime<RecommendationRequest> {
    INSTANCE;

    @Override
    public List<RecommendationRequest> order(List<RecommendationRequest> arrived) {
        List<RecommendationRequest> out = new ArrayList<>(arrived);
        out.sort(Comparator.comparingInt(r -> r.userId)); // stable: a user's requests keep their order
        return out;
    }
}
