package io.streamrec.eval.flink;

import io.streamrec.operators.EventTimeOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Genre tasks at one event time in a deterministic replay: by genre, then user, each user's in arrival order. */
enum GenreTaskOrder implements EventTimeOrder.SameTime<GenreTask> {
    INSTANCE;

    @Override
    public List<GenreTask> order(List<GenreTask> arrived) {
        List<GenreTask> out = new ArrayList<>(arrived);
        out.sort(Comparator.comparing((GenreTask t) -> t.genre).thenComparingInt(t -> t.userId));
        return out;
    }
}
