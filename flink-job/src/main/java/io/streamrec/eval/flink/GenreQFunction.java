package io.streamrec.eval.flink;

import io.streamrec.policy.GenreQLearning;
import io.streamrec.policy.QRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by genre: that genre's Q-table (MapState sub-state → {@link QRow}) and each user's state in the genre
 * (MapState user → last 3 liked movies of the genre), both Flink keyed state, so they are checkpointed, restored and
 * rescaled by genre. Per task: recommend (the genre's best actions for the user's state before the event), then learn
 * (one {@link GenreQLearning} step) when the event's item has this genre — so only the involved genres' tables change.
 */
public class GenreQFunction extends KeyedProcessFunction<String, GenreTask, GenrePartial> {
    private static final long serialVersionUID = 1L;
    private final GenreQLearning rule;
    private final double threshold;
    private final int k;
    private transient MapState<Integer, QRow> table;
    private transient MapState<Integer, int[]> userStates;

    public GenreQFunction(double alpha, double gamma, double threshold, int k) {
        this.rule = new GenreQLearning(alpha, gamma);
        this.threshold = threshold;
        this.k = k;
    }

    @Override
    public void open(OpenContext openContext) {
        table = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("q-table", Types.INT, TypeInformation.of(QRow.class)));
        userStates = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "user-substates", Types.INT, PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(GenreTask t, Context ctx, Collector<GenrePartial> out) throws Exception {
        // One task reads the same few rows up to three times (recommend from s, the target from s', the update of
        // s): each row is read and deserialised from the state backend once per task. The same object is then seen
        // by every use, as with the heap backend and the offline tables.
        Map<Integer, QRow> read = new HashMap<>(8);
        GenreQLearning.Rows rows = new GenreQLearning.Rows() {
            public QRow get(int m) throws Exception {
                QRow row = read.get(m);
                if (row == null && !read.containsKey(m)) {
                    row = table.get(m);
                    read.put(m, row);
                }
                return row;
            }

            public void put(int m, QRow row) throws Exception {
                table.put(m, row);
                read.put(m, row);
            }
        };
        int[] state = userStates.get(t.userId);
        if (t.recommend) emitPartial(t, rows, state, out);
        if (t.learn) {
            boolean positive = t.triggerRating >= threshold;
            rule.learn(rows, state, t.triggerItemId, t.triggerRating, positive);
            if (positive) userStates.put(t.userId, GenreQLearning.next(state, t.triggerItemId));
        }
    }

    private void emitPartial(GenreTask t, GenreQLearning.Rows rows, int[] state, Collector<GenrePartial> out)
            throws Exception {
        List<GenreQLearning.Candidate> best = GenreQLearning.best(rows, state, k, t.ratedItems);
        GenrePartial p = new GenrePartial();
        p.requestId = t.requestId;
        p.genre = t.genre;
        p.userId = t.userId;
        p.eventTime = t.eventTime;
        p.expected = t.expected;
        p.ratedItems = t.ratedItems;
        p.items = best.stream().mapToInt(GenreQLearning.Candidate::item).toArray();
        p.values = new float[best.size()];
        for (int i = 0; i < best.size(); i++) p.values[i] = best.get(i).q();
        out.collect(p);
    }
}
