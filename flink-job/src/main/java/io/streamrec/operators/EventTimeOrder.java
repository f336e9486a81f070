package io.streamrec.operators;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Releases a stream in event-time order, deterministically: each record waits until the watermark passes its
 * timestamp; then the records of one timestamp are emitted in the order {@link SameTime} gives them (from their arrival
 * order, which is deterministic per upstream channel but not across channels), before the watermark is forwarded.
 * Placed where several upstream subtasks merge into an order-sensitive operator (a learning policy, the evaluator),
 * it makes that operator see the same sequence in every run whatever the parallelism and the machine's speed — the
 * job's deterministic replay ({@code replay.deterministic}). The buffer lives on the heap and is not checkpointed: a
 * deterministic replay runs without checkpoints and restarts from its beginning.
 *
 * <p>A record that arrives with a timestamp the watermark has already passed (none does in a bounded replay whose
 * source orders time per partition) is emitted at once and counted (gauge {@code orderLateRecords}).
 */
public final class EventTimeOrder<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** Orders the records of one timestamp; must depend only on their content and their arrival order. */
    @FunctionalInterface
    public interface SameTime<T> extends Serializable {
        List<T> order(List<T> arrived);
    }

    private final SameTime<T> sameTime;
    private final TypeInformation<T> type;
    private transient TypeSerializer<T> copier;
    private transient TreeMap<Long, List<T>> buffer;
    private transient long watermark;
    private transient volatile long late;
    /** Records held, for the gauge (read on the metric reporter's thread: never the map itself). */
    private transient volatile int buffered;

    private EventTimeOrder(SameTime<T> sameTime, TypeInformation<T> type) {
        this.sameTime = sameTime;
        this.type = type;
    }

    /** {@code in}, released in event-time order (same parallelism and partitioning as {@code in}). */
    public static <T> SingleOutputStreamOperator<T> apply(DataStream<T> in, String name, SameTime<T> sameTime) {
        return in.transform(name, in.getType(), new EventTimeOrder<>(sameTime, in.getType()))
                .uid(name);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // With object reuse an upstream chained operator may hand the same instance again: buffer copies.
        copier = getExecutionConfig().isObjectReuseEnabled()
                ? type.createSerializer(getExecutionConfig().getSerializerConfig())
                : null;
        buffer = new TreeMap<>();
        watermark = Long.MIN_VALUE;
        getMetricGroup().gauge("orderLateRecords", () -> late);
        getMetricGroup().gauge("orderBuffered", () -> buffered);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        long ts = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
        if (ts <= watermark) {
            late++;
            output.collect(element);
            return;
        }
        T value = copier == null ? element.getValue() : copier.copy(element.getValue());
        buffer.computeIfAbsent(ts, t -> new ArrayList<>()).add(value);
        buffered++;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        for (Iterator<Map.Entry<Long, List<T>>> it = buffer.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, List<T>> e = it.next();
            if (e.getKey() > watermark) break;
            StreamRecord<T> reuse = new StreamRecord<>(null, e.getKey());
            for (T value : sameTime.order(e.getValue())) output.collect(reuse.replace(value));
            buffered -= e.getValue().size();
            it.remove();
        }
        super.processWatermark(mark);
    }
}
