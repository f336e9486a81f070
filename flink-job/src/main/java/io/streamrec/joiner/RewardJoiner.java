package io.streamrec.joiner;

import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Transition;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;

/**
 * Keyed by user, in event time: joins each {@link SlateDecision} with the same user's later ratings into
 * {@link Transition}s (rules in {@link RewardLedger}). Both inputs are buffered until the watermark passes their
 * timestamp and then fed to the ledger in the user's own order: by event time, and within an instant each rating (in
 * arrival order) followed by the decision it triggered (matched by request id) — the order the prequential evaluator
 * judges slates in — which makes the result independent of how the two inputs interleave in processing time (the
 * actor answers asynchronously). An event-time timer at {@code last event + sessionGap} closes the session: every open
 * transition is emitted, truncated ({@code done = false}). Elements behind the watermark (late) are processed at once.
 */
public class RewardJoiner extends KeyedCoProcessFunction<Integer, RatingEvent, SlateDecision, Transition> {
    private static final long serialVersionUID = 1L;

    private final int horizon;
    private final float unratedReward;
    private final long sessionGapMs;
    private final float positiveThreshold;

    private static final float[] NO_ACTION = new float[0];
    /** Per user: the ledger (the {@link UserJoinState} blob; events waiting for the watermark live in the map). */
    private transient ValueState<byte[]> state;
    /**
     * Events waiting for the watermark, by event time, each instant's events encoded one after the other in arrival
     * order. Apart from the ledger so that an arriving event is one small append, not a read and rewrite of the
     * user's ledger: that read and rewrite, three times per rating (its arrival, its decision's, its timer), was the
     * joiner's main cost in the soak's profile.
     */
    private transient MapState<Long, byte[]> waiting;
    /**
     * Each pending slate's action (d floats) by request id, apart from the per-user blob that every event rewrites:
     * written once when the decision arrives, read and removed once when its transition is emitted.
     */
    private transient MapState<String, float[]> actions;

    private transient DataOutputSerializer buffer;
    private transient Counter transitions;
    private transient Counter sessionEnds;

    /**
     * Per user: the ledger, and (in state written by earlier builds only) the events waiting for the watermark; they
     * move to the waiting map when read.
     */
    static final class UserJoinState implements Serializable {
        private static final long serialVersionUID = 1L;
        final RewardLedger ledger;
        /** time → events at that time (RatingEvent or SlateDecision), arrival order. */
        final TreeMap<Long, List<Object>> waiting = new TreeMap<>();

        UserJoinState(RewardLedger ledger) {
            this.ledger = ledger;
        }

        /** The binary form of {@link JoinStateCodec} (format byte, ledger, waiting events by time). */
        void write(DataOutput out) throws IOException {
            out.writeByte(JoinStateCodec.FORMAT);
            ledger.writeTo(out);
            out.writeInt(waiting.size());
            for (Map.Entry<Long, List<Object>> e : waiting.entrySet()) {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue().size());
                for (Object event : e.getValue()) JoinStateCodec.writeEvent(out, event);
            }
        }

        static UserJoinState read(DataInput in) throws IOException {
            byte format = in.readByte();
            if (format != JoinStateCodec.FORMAT) throw new IOException("reward-join state in unknown format " + format);
            UserJoinState s = new UserJoinState(RewardLedger.readFrom(in));
            int times = in.readInt();
            for (int i = 0; i < times; i++) {
                long time = in.readLong();
                int n = in.readInt();
                List<Object> events = new ArrayList<>(n);
                for (int j = 0; j < n; j++) events.add(JoinStateCodec.readEvent(in));
                s.waiting.put(time, events);
            }
            return s;
        }
    }

    public RewardJoiner(int horizon, float unratedReward, long sessionGapMs) {
        this(horizon, unratedReward, sessionGapMs, 4f);
    }

    public RewardJoiner(int horizon, float unratedReward, long sessionGapMs, float positiveThreshold) {
        if (horizon < 1) throw new IllegalArgumentException("reward horizon must be >= 1");
        if (sessionGapMs < 1) throw new IllegalArgumentException("session gap must be >= 1 ms");
        this.horizon = horizon;
        this.unratedReward = unratedReward;
        this.sessionGapMs = sessionGapMs;
        this.positiveThreshold = positiveThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "reward-join", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        waiting = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "reward-join-waiting", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        actions = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "reward-join-actions", Types.STRING, PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        transitions = getRuntimeContext().getMetricGroup().counter("transitions");
        sessionEnds = getRuntimeContext().getMetricGroup().counter("sessionEnds");
        buffer = new DataOutputSerializer(1024);
    }

    @Override
    public void processElement1(RatingEvent e, Context ctx, Collector<Transition> out) throws Exception {
        buffer(e.timestamp, e, ctx, out);
    }

    @Override
    public void processElement2(SlateDecision d, Context ctx, Collector<Transition> out) throws Exception {
        if (d.action != null && d.action.length > 0 && d.requestId != null) {
            actions.put(d.requestId, d.action);
            d.action = NO_ACTION;
        }
        buffer(d.eventTime, d, ctx, out);
    }

    private void buffer(long time, Object event, Context ctx, Collector<Transition> out) throws Exception {
        if (time <= ctx.timerService().currentWatermark()) {
            // Late: every event at or before the watermark has been fed to the ledger already; this one goes now.
            UserJoinState s = load();
            long sessionTimer = sessionTimer(s);
            feed(s, List.of(event), out);
            save(s, ctx, sessionTimer);
            return;
        }
        appendWaiting(time, List.of(event));
        ctx.timerService().registerEventTimeTimer(time);
    }

    /** Adds {@code events} after those already waiting at {@code time}. */
    private void appendWaiting(long time, List<Object> events) throws Exception {
        byte[] before = waiting.get(time);
        buffer.clear();
        if (before != null) buffer.write(before);
        for (Object event : events) JoinStateCodec.writeEvent(buffer, event);
        waiting.put(time, buffer.getCopyOfBuffer());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Transition> out) throws Exception {
        UserJoinState s = load();
        long sessionTimer = sessionTimer(s);
        // Timers fire in time order and every waiting instant has one: the instants before this one are done.
        byte[] events = waiting.get(timestamp);
        if (events != null) {
            waiting.remove(timestamp);
            feed(s, decode(events), out);
        }
        RewardLedger ledger = s.ledger;
        if (!ledger.isEmpty()
                && ledger.lastEventTime() != Long.MIN_VALUE
                && timestamp >= ledger.lastEventTime() + sessionGapMs) {
            emit(ledger.closeSession(), out);
            sessionEnds.inc();
        }
        save(s, ctx, sessionTimer);
    }

    /**
     * One instant's events into the ledger in the user's order: each rating (in arrival order, which is the user's
     * stream order), then the decision it triggered; decisions whose rating is not here (late, or never came) after
     * them.
     */
    private void feed(UserJoinState s, List<Object> events, Collector<Transition> out) throws Exception {
        // An instant holds a handful of events (usually one rating and its decision): a list scan beats a map.
        List<SlateDecision> decisions = new ArrayList<>(2);
        for (Object o : events) if (o instanceof SlateDecision d) decisions.add(d);
        for (Object o : events) {
            if (!(o instanceof RatingEvent r)) continue;
            emit(s.ledger.onRating(r.itemId, r.rating, r.timestamp), out);
            SlateDecision own = decisions.isEmpty() ? null : takeDecisionOf(decisions, r.requestId());
            if (own != null) emit(s.ledger.onDecision(own), out);
        }
        for (SlateDecision d : decisions) emit(s.ledger.onDecision(d), out);
    }

    private static List<Object> decode(byte[] events) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(events);
        List<Object> list = new ArrayList<>(2);
        while (in.available() > 0) list.add(JoinStateCodec.readEvent(in));
        return list;
    }

    /** Removes and returns the first decision for {@code requestId}, or null. */
    private static SlateDecision takeDecisionOf(List<SlateDecision> decisions, String requestId) {
        for (int i = 0; i < decisions.size(); i++) {
            if (requestId.equals(decisions.get(i).requestId)) return decisions.remove(i);
        }
        return null;
    }

    private void emit(List<Transition> done, Collector<Transition> out) throws Exception {
        for (Transition t : done) {
            // State from before the actions moved out still carries them in the blob; otherwise take it from the map.
            if ((t.action == null || t.action.length == 0) && t.requestId != null) {
                float[] a = actions.get(t.requestId);
                if (a != null) {
                    t.action = a;
                    actions.remove(t.requestId);
                }
            }
            out.collect(t);
            transitions.inc();
        }
    }

    private UserJoinState load() throws Exception {
        byte[] bytes = state.value();
        if (bytes == null) return new UserJoinState(new RewardLedger(horizon, unratedReward, positiveThreshold));
        UserJoinState s = bytes.length > 0 && bytes[0] != JoinStateCodec.FORMAT
                // State from a checkpoint of an earlier build, which stored it Java-serialised.
                ? InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader())
                : UserJoinState.read(new DataInputDeserializer(bytes));
        // Earlier builds kept the waiting events in the blob (their timers are registered): move them to the map.
        for (Map.Entry<Long, List<Object>> e : s.waiting.entrySet()) appendWaiting(e.getKey(), e.getValue());
        s.waiting.clear();
        return s;
    }

    /** When the user's session-end timer is due (the ledger's last event + the gap), or Long.MIN_VALUE: none. */
    private long sessionTimer(UserJoinState s) {
        return s.ledger.isEmpty() || s.ledger.lastEventTime() == Long.MIN_VALUE
                ? Long.MIN_VALUE
                : s.ledger.lastEventTime() + sessionGapMs;
    }

    /**
     * Stores the user's state and moves their session-end timer: one per user, not one per event. Every event used to
     * add a timer for its own time + the gap (30 min): at 2,000 events/s millions of timers were pending, and from
     * the first gap on each fired to load and store the user's state for nothing.
     */
    private void save(UserJoinState s, Context ctx, long previousSessionTimer) throws Exception {
        long next = sessionTimer(s);
        // A drain timer at the same instant is the same timer (one per key and time): keep it while events wait there.
        if (previousSessionTimer != Long.MIN_VALUE
                && previousSessionTimer != next
                && !waiting.contains(previousSessionTimer)) {
            ctx.timerService().deleteEventTimeTimer(previousSessionTimer);
        }
        if (s.ledger.isEmpty()) {
            state.clear();
            return;
        }
        buffer.clear();
        s.write(buffer);
        state.update(buffer.getCopyOfBuffer());
        if (next != Long.MIN_VALUE && next != previousSessionTimer)
            ctx.timerService().registerEventTimeTimer(next);
    }
}
