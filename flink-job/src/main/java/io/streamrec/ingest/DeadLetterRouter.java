package io.streamrec.ingest;

import io.streamrec.schema.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid rating records on and routes dead letters to a side output, counting them in the {@code deadLetters} metric. */
public class DeadLetterRouter extends ProcessFunction<RatingRecord, RatingRecord> {
    private static final long serialVersionUID = 1L;

    /** Every dead letter of the job (unparseable, invalid or duplicate ratings) goes out on this tag. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RatingRecord record, Context ctx, Collector<RatingRecord> out) {
        if (record.isValid()) {
            out.collect(record);
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
