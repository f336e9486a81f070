package io.streamrec.eval.flink;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.policy.Slate;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.util.ArrayList;

/** A policy's {@link Slate} as a {@link Recommendation} tagged with the policy (NaN score = explored slot). */
public final class Slates {
    private Slates() {}

    public static Recommendation toRecommendation(
            String policy, String requestId, int userId, long eventTime, Slate slate, ItemCatalog catalog) {
        Recommendation rec = new Recommendation();
        rec.requestId = requestId;
        rec.userId = userId;
        rec.policy = policy;
        rec.modelVersion = 0;
        rec.eventTime = eventTime;
        rec.emitTime = System.currentTimeMillis();
        rec.items = new ArrayList<>(slate.items().length);
        for (int j = 0; j < slate.items().length; j++) {
            int index = catalog.indexOf(slate.items()[j]);
            float score = slate.scores()[j];
            RecommendedItem item = new RecommendedItem(
                    slate.items()[j],
                    Float.isNaN(score) ? 0f : score,
                    index < 0 ? null : catalog.titleAt(index),
                    index < 0 ? null : catalog.genresAt(index));
            item.explored = Float.isNaN(score);
            rec.items.add(item);
        }
        return rec;
    }
}
