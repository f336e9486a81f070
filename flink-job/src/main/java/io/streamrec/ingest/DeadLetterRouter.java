package io.streamrec.ingest;

import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.RatingEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid rating events on and routes dead letters to a side output, counting them in the {@code deadLetters} metric. */
public class DeadLetterRouter extends ProcessFunction<RatingRecord, RatingEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RatingRecord record, Context ctx, Collector<RatingEvent> out) {
        if (record.isValid()) {
            out.collect(record.event);
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
