package io.streamrec.eval.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.policy.Policies;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The actor's served slate is judged as drr and, when it explored, its greedy slate as the shadow drr-greedy. */
class DrrSlatesTest {
    static Recommendation rec(int[] greedy) {
        Recommendation r = new Recommendation();
        r.requestId = "7-1-100";
        r.userId = 7;
        r.policy = Policies.DRR;
        r.eventTime = 100;
        r.items = new ArrayList<>(
                List.of(new RecommendedItem(3, 1f, "c", List.of()), new RecommendedItem(4, 0.5f, "d", List.of())));
        r.greedyItems = greedy;
        return r;
    }

    static List<EvalInput> run(Recommendation r) {
        List<EvalInput> out = new ArrayList<>();
        EvaluationTopology.drrSlates(r, new Collector<>() {
            @Override
            public void collect(EvalInput e) {
                out.add(e);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void anExploringActorIsJudgedTwice() {
        List<EvalInput> out = run(rec(new int[] {1, 2}));
        assertThat(out).extracting(e -> e.policy).containsExactly(Policies.DRR, Policies.DRR_GREEDY);
        assertThat(out.get(0).items).containsExactly(3, 4);
        assertThat(out.get(1).items).containsExactly(1, 2);
        assertThat(out).allMatch(e -> e.requestId.equals("7-1-100") && e.userId == 7);
    }

    @Test
    void aGreedyActorIsJudgedOnce() {
        assertThat(run(rec(null))).extracting(e -> e.policy).containsExactly(Policies.DRR);
    }
}
