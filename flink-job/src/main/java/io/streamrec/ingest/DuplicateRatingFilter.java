package io.streamrec.ingest;

import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: drops exact replays of a rating and dead-letters them with reason {@code duplicate}.
 *
 * <p>A duplicate is a rating with the same user, item and timestamp as the last rating of that item this user had
 * processed (a producer retry or a replayed log). A re-rating of the item with another timestamp is a valid update
 * and replaces the remembered timestamp. State: one (item → timestamp) entry per item the user rated, the same order
 * of size as the rated-item set the job keeps anyway, optionally expired after {@code dedup.ttl.ms} without access.
 */
public class DuplicateRatingFilter extends KeyedProcessFunction<Integer, RatingRecord, RatingEvent> {
    private static final long serialVersionUID = 1L;

    /** The reason of a duplicate's dead letter (the text before the colon is stable for consumers of the DLQ). */
    public static final String REASON = "duplicate: same user, item and timestamp as an already processed rating";

    private final int maxDeadLetterPayload;
    private final long ttlMillis;

    private transient MapState<Integer, Long> lastRatedAt;
    private transient Counter duplicates;
    private transient Counter deadLetters;

    /**
     * @param maxDeadLetterPayload original bytes a dead letter keeps ({@code dlq.max.payload.bytes})
     * @param ttlMillis forget an item's timestamp after this long without access (0 = keep it)
     */
    public DuplicateRatingFilter(int maxDeadLetterPayload, long ttlMillis) {
        this.maxDeadLetterPayload = maxDeadLetterPayload;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<Integer, Long> descriptor = new MapStateDescriptor<>("last-rated-at", Types.INT, Types.LONG);
        if (ttlMillis > 0)
            descriptor.enableTimeToLive(
                    StateTtlConfig.newBuilder(Duration.ofMillis(ttlMillis)).build());
        lastRatedAt = getRuntimeContext().getMapState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateRatings");
        // Also under the router's metric name, so that the deadLetters counters of all operators add up to the DLQ.
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RatingRecord record, Context ctx, Collector<RatingEvent> out) throws Exception {
        RatingEvent e = record.event;
        Long previous = lastRatedAt.get(e.itemId);
        if (previous != null && previous == e.timestamp) {
            duplicates.inc();
            deadLetters.inc();
            // Outside Kafka (tests) a record has no original bytes: its canonical JSON stands in for them.
            byte[] bytes = record.payload != null ? record.payload : Json.write(e);
            ctx.output(
                    DeadLetterRouter.DEAD_LETTERS,
                    RatingParser.deadLetter(
                            bytes, REASON, record.sourceTopic, record.partition, record.offset, maxDeadLetterPayload));
            return;
        }
        lastRatedAt.put(e.itemId, e.timestamp);
        out.collect(e);
    }
}
