package io.streamrec.eval.flink;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.eval.UserSlice;
import io.streamrec.policy.Policy;
import io.streamrec.schema.Recommendation;
import io.streamrec.state.RecommendationRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global baseline policies (models over every user's events: popularity, item-kNN, MF, LinUCB, random) in one
 * operator at parallelism 1, fed the whole request stream. Test-then-learn per event: every policy recommends from
 * what it learned before the event, then every policy learns from it. The models are checkpointed as operator state
 * (one serialised snapshot; restored on recovery).
 */
public class GlobalPoliciesFunction extends ProcessFunction<RecommendationRequest, Recommendation>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private final List<Policy> initial;
    private final ItemCatalog catalog;
    private final int k;
    private final UserSlice slice;
    private transient List<Policy> policies;
    private transient ListState<byte[]> checkpointed;
    private transient int lastSnapshotBytes;

    /** @param slice the users whose slates are scored (for the evaluation); every event still trains every policy */
    public GlobalPoliciesFunction(List<Policy> policies, ItemCatalog catalog, int k, UserSlice slice) {
        this.initial = policies;
        this.catalog = catalog;
        this.k = k;
        this.slice = slice;
    }

    @Override
    public void processElement(RecommendationRequest r, Context ctx, Collector<Recommendation> out) {
        if (slice.contains(r.userId)) {
            for (Policy p : policies)
                out.collect(Slates.toRecommendation(
                        p.name(), r.requestId, r.userId, r.eventTime, p.recommend(r, k), catalog));
        }
        for (Policy p : policies) p.update(r);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        byte[] bytes = serialize(policies, lastSnapshotBytes + lastSnapshotBytes / 8);
        lastSnapshotBytes = bytes.length;
        checkpointed.update(List.of(bytes));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(
                        "global-policies", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        policies = new ArrayList<>(initial);
        if (context.isRestored()) {
            for (byte[] b : checkpointed.get()) policies = (List<Policy>) deserialize(b);
        }
    }

    static byte[] serialize(Object o) throws java.io.IOException {
        return serialize(o, 1 << 16);
    }

    /**
     * As {@link #serialize(Object)} into a buffer of {@code sizeHint} bytes to start with (a checkpoint passes the last
     * one's size: growing to the evaluator's and the policies' 10–20 MB by doubling copied them several times).
     */
    static byte[] serialize(Object o, int sizeHint) throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1 << 16, sizeHint));
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] b) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc)
                    throws java.io.IOException, ClassNotFoundException {
                return Class.forName(
                        desc.getName(), false, Thread.currentThread().getContextClassLoader());
            }
        }) {
            return in.readObject();
        }
    }
}
