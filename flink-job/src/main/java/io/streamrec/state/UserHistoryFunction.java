package io.streamrec.state;

import io.streamrec.schema.RatingEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: keeps the positive-history window and the rated-item set in keyed state and turns each rating
 * event into one {@link RecommendationRequest} that sees the user's history up to and including that event.
 */
public class UserHistoryFunction extends KeyedProcessFunction<Integer, RatingEvent, RecommendationRequest> {
    private static final long serialVersionUID = 1L;

    private final int windowSize;
    private final double positiveThreshold;

    private transient ValueState<int[]> window;
    private transient ValueState<int[]> rated;
    private transient Counter events;
    private transient Counter positives;

    public UserHistoryFunction(int windowSize, double positiveThreshold) {
        this.windowSize = windowSize;
        this.positiveThreshold = positiveThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
        window = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "positive-window", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        rated = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "rated-items", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        events = getRuntimeContext().getMetricGroup().counter("ratingEvents");
        positives = getRuntimeContext().getMetricGroup().counter("positiveRatings");
    }

    @Override
    public void processElement(RatingEvent e, Context ctx, Collector<RecommendationRequest> out) throws Exception {
        int[] w = window.value();
        if (e.rating >= positiveThreshold) {
            w = PositiveHistoryWindow.append(w, e.itemId, windowSize);
            window.update(w);
            positives.inc();
        } else if (w != null && w.length > 0) {
            int[] after = PositiveHistoryWindow.remove(w, e.itemId);
            if (after != w) window.update(after);
            w = after;
        }
        int[] before = rated.value();
        int[] r = RatedItemSet.add(before, e.itemId);
        if (r != before) rated.update(r);
        events.inc();
        out.collect(new RecommendationRequest(
                e.requestId(),
                e.userId,
                e.itemId,
                e.rating,
                e.timestamp,
                w == null ? PositiveHistoryWindow.EMPTY : w,
                r));
    }
}
