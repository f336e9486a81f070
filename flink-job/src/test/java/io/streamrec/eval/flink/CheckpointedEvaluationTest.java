package io.streamrec.eval.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.eval.UserSlice;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.state.RecommendationRequest;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The global policies and the evaluator come back from a checkpoint with what they had learned and judged. */
class CheckpointedEvaluationTest {
    private static final ItemCatalog CATALOG = ItemCatalog.range(6);

    private static RecommendationRequest req(int user, int item, float rating, long ts) {
        return new RecommendationRequest(
                user + "-" + item + "-" + ts, user, item, rating, ts, new int[0], new int[] {item});
    }

    private static OneInputStreamOperatorTestHarness<RecommendationRequest, Recommendation> policies()
            throws Exception {
        List<Policy> fresh = List.of(Policies.create(
                "popularity", new PolicyContext(CATALOG, StageSettings.policies(StreamrecConfig.defaults()))));
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new GlobalPoliciesFunction(fresh, CATALOG, 2, UserSlice.ALL)));
    }

    @Test
    void globalPoliciesAreRestoredFromTheirSnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = policies()) {
            h.open();
            h.processElement(new StreamRecord<>(req(1, 5, 5, 1000), 1000));
            h.processElement(new StreamRecord<>(req(2, 5, 5, 2000), 2000));
            h.processElement(new StreamRecord<>(req(3, 4, 5, 3000), 3000));
            snapshot = h.snapshot(1, 3000);
        }
        try (var h = policies()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(req(9, 1, 5, 4000), 4000));
            Recommendation r = h.extractOutputValues().get(0);
            assertThat(r.policy).isEqualTo("popularity");
            assertThat(r.items).extracting(i -> i.itemId).containsExactly(5, 4); // a fresh model would tie at 0: 2, 3
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, EvalInput, PolicyMetrics> evaluator()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new EvaluatorFunction(new PrequentialEvaluator.Settings(2, 4.0, 1, 0, 0), CATALOG, 0)),
                x -> 0,
                Types.INT);
    }

    private static EvalInput event(int user, String id, int item, float rating, long ts) {
        EvalInput e = new EvalInput();
        e.userId = user;
        e.requestId = id;
        e.itemId = item;
        e.rating = rating;
        e.eventTime = ts;
        return e;
    }

    @Test
    void theEvaluatorKeepsPendingSlatesAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = evaluator()) {
            h.open();
            h.processElement(new StreamRecord<>(event(1, "a", 1, 5, 1000), 1000));
            EvalInput slate = new EvalInput();
            slate.policy = "p";
            slate.userId = 1;
            slate.requestId = "a";
            slate.items = new int[] {2, 3};
            h.processElement(new StreamRecord<>(slate, 1000));
            snapshot = h.snapshot(1, 1000);
        }
        try (var h = evaluator()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(
                    new StreamRecord<>(event(1, "b", 3, 5, 2000), 2000)); // judges the restored slate: hit at rank 2
            h.processWatermark(Long.MAX_VALUE);
            PolicyMetrics cum = h.extractOutputValues().stream()
                    .filter(m -> m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE))
                    .findFirst()
                    .orElseThrow();
            assertThat(cum.count).isEqualTo(1);
            assertThat(cum.values.get("hit@2")).isEqualTo(1.0);
            assertThat(cum.values.get("mrr")).isEqualTo(0.5);
            assertThat(cum.values.get("precision@2")).isEqualTo(0.5);
        }
    }
}
