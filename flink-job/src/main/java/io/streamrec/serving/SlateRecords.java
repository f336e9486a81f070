package io.streamrec.serving;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import org.apache.flink.metrics.Counter;

/** Turns the actor's scored slates into the records written to the recommendations topic. */
public final class SlateRecords {
    private SlateRecords() {}

    /**
     * The recommendation record of a scored slate: the request's identity and state, the action, the items with
     * titles and genres; with an explorer, its slate-ε replacements (counted in {@code explored}).
     */
    static Recommendation recommendation(
            RecommendationRequest request,
            ScoredSlate slate,
            long emitTime,
            String policy,
            SlateExplorer explorer,
            ItemCatalog catalog,
            Counter exploredItems) {
        SlateExplorer.Explored e = explorer == null ? null : explorer.explore(slate, request.ratedItems, catalog);
        Recommendation rec = recommendation(request, slate, e, emitTime, policy, catalog);
        if (e != null) for (boolean x : e.explored()) if (x) exploredItems.inc();
        return rec;
    }

    /** The recommendation record of a scored slate as served: {@code explored} (null: none) replaces its items. */
    public static Recommendation recommendation(
            RecommendationRequest request,
            ScoredSlate slate,
            SlateExplorer.Explored explored,
            long emitTime,
            String policy,
            ItemCatalog catalog) {
        Recommendation rec = new Recommendation();
        rec.requestId = request.requestId;
        rec.userId = request.userId;
        rec.policy = policy;
        rec.modelVersion = slate.modelVersion();
        rec.eventTime = request.eventTime;
        rec.emitTime = emitTime;
        rec.stateWindow = request.window;
        rec.action = slate.action();
        rec.greedyItems = slate.greedyItemIds();
        int[] indices = explored == null ? slate.itemIndices() : explored.itemIndices();
        int[] ids = explored == null ? slate.itemIds() : explored.itemIds();
        float[] scores = explored == null ? slate.scores() : explored.scores();
        rec.items = new ArrayList<>(slate.size());
        for (int j = 0; j < slate.size(); j++) {
            int index = indices[j];
            RecommendedItem item =
                    new RecommendedItem(ids[j], scores[j], catalog.titleAt(index), catalog.genresAt(index));
            if (explored != null && explored.explored()[j]) item.explored = true;
            rec.items.add(item);
        }
        return rec;
    }
}
