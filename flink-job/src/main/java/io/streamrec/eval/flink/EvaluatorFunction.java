package io.streamrec.eval.flink;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.eval.MetricAccumulator;
import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.schema.PolicyMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@link PrequentialEvaluator} in the job: one instance (a constant key, parallelism 1) reads every rating
 * event and every policy's slate, emits windowed and cumulative {@link PolicyMetrics}, exposes per-policy gauges
 * ({@code eval.<policy>.hitAtK}, {@code ndcgAtK}, ...; {@code eval.droppedLateSlates}) and checkpoints its state as one serialised snapshot.
 * Cumulative records are also emitted every {@code cumulativeEveryMs} of processing time while data flows, and at
 * the end of a bounded stream every pending slate is judged with the future it has.
 */
public class EvaluatorFunction extends KeyedProcessFunction<Integer, EvalInput, PolicyMetrics>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private final PrequentialEvaluator.Settings settings;
    private final ItemCatalog catalog;
    private final long cumulativeEveryMs;
    private transient PrequentialEvaluator evaluator;
    private transient ListState<byte[]> checkpointed;
    private transient int lastSnapshotBytes;
    private transient Set<String> gauges;
    private transient boolean endTimer;
    private transient boolean dirty;
    private transient long nextCumulative;

    public EvaluatorFunction(PrequentialEvaluator.Settings settings, ItemCatalog catalog, long cumulativeEveryMs) {
        this.settings = settings;
        this.catalog = catalog;
        this.cumulativeEveryMs = cumulativeEveryMs;
    }

    @Override
    public void processElement(EvalInput in, Context ctx, Collector<PolicyMetrics> out) {
        if (!endTimer) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            endTimer = true;
            getRuntimeContext().getMetricGroup().addGroup("eval").gauge("droppedLateSlates", (Gauge<Long>)
                    () -> evaluator.droppedLate());
        }
        if (in.isEvent()) {
            for (PolicyMetrics m : evaluator.onEvent(in.userId, in.requestId, in.itemId, in.rating, in.eventTime))
                out.collect(m);
        } else {
            evaluator.onSlate(in.policy, in.userId, in.requestId, in.items);
            if (gauges.add(in.policy)) registerGauges(in.policy);
        }
        dirty = true;
        long now = ctx.timerService().currentProcessingTime();
        if (cumulativeEveryMs > 0 && now >= nextCumulative) {
            nextCumulative = now + cumulativeEveryMs;
            ctx.timerService().registerProcessingTimeTimer(nextCumulative);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PolicyMetrics> out) {
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME && timestamp == Long.MAX_VALUE) {
            for (PolicyMetrics m : evaluator.finish()) out.collect(m);
            dirty = false;
        } else if (dirty) {
            for (PolicyMetrics m : evaluator.cumulative()) out.collect(m);
            dirty = false;
        }
    }

    private void registerGauges(String policy) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("eval").addGroup(policy);
        int k = settings.k();
        String[][] names = {
            {"precisionAtK", "precision@" + k},
            {"recallAtK", "recall@" + k},
            {"ndcgAtK", "ndcg@" + k},
            {"hitAtK", "hit@" + k},
            {"mrr", "mrr"},
            {"reward", "reward"},
            {"coverage", "coverage"},
            {"novelty", "novelty"}
        };
        for (String[] n : names) {
            g.gauge(n[0], (Gauge<Double>) () -> {
                MetricAccumulator acc = evaluator.cumulativeAccumulators().get(policy);
                return acc == null ? Double.NaN : acc.values().get(n[1]);
            });
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        byte[] bytes = GlobalPoliciesFunction.serialize(evaluator, lastSnapshotBytes + lastSnapshotBytes / 8);
        lastSnapshotBytes = bytes.length;
        checkpointed.update(List.of(bytes));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(
                        "prequential-evaluator", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        evaluator = new PrequentialEvaluator(settings, catalog);
        if (context.isRestored()) {
            for (byte[] b : checkpointed.get())
                evaluator = (PrequentialEvaluator) GlobalPoliciesFunction.deserialize(b);
        }
        gauges = new HashSet<>();
    }
}
