package io.streamrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.TopicSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every metric against values computed by hand on tiny sequences. */
class RankingMetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    // slate 10, 20, 30, 40; later ratings: 20 ★5, 50 ★4, 10 ★2, 60 ★3; relevant (≥ 4): 20 and 50
    private static final int[] SLATE = {10, 20, 30, 40};
    private static final int[] FUTURE = {20, 50, 10, 60};
    private static final float[] STARS = {5, 4, 2, 3};

    @Test
    void perSlateMetrics() {
        assertThat(RankingMetrics.precisionAtK(SLATE, 4, FUTURE, STARS, 4)).isEqualTo(0.25);
        assertThat(RankingMetrics.precisionAtK(SLATE, 1, FUTURE, STARS, 4)).isEqualTo(0.0);
        assertThat(RankingMetrics.recallAtK(SLATE, 4, FUTURE, STARS, 4)).isEqualTo(0.5);
        // DCG = 5 / log2(3) (item 20 at rank 2); IDCG = 5 / log2(2) + 4 / log2(3)
        assertThat(RankingMetrics.ndcgAtK(SLATE, 4, FUTURE, STARS, 4))
                .isCloseTo((5 / LOG2_3) / (5 + 4 / LOG2_3), within(1e-12));
        assertThat(RankingMetrics.ndcgAtK(SLATE, 4, FUTURE, STARS, 4)).isCloseTo(0.419294, within(1e-6));
        assertThat(RankingMetrics.ndcgAtK(new int[] {20, 50}, 2, FUTURE, STARS, 4))
                .isEqualTo(1.0);
        assertThat(RankingMetrics.nextPositive(FUTURE, STARS, 4)).isEqualTo(20);
        assertThat(RankingMetrics.hitAtK(SLATE, 4, FUTURE, STARS, 4)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitAtK(SLATE, 1, FUTURE, STARS, 4)).isEqualTo(0.0);
        assertThat(RankingMetrics.reciprocalRank(SLATE, FUTURE, STARS, 4)).isEqualTo(0.5);
        assertThat(RankingMetrics.reciprocalRank(new int[] {1, 2}, FUTURE, STARS, 4))
                .isEqualTo(0.0);
        // 10 rated ★2 → -0.5, 20 rated ★5 → +1; (−0.5 + 1) / 4
        assertThat(RankingMetrics.meanReward(SLATE, 4, FUTURE, STARS)).isEqualTo(0.125);
        assertThat(RankingMetrics.novelty(3, 7)).isEqualTo(1.0);
        assertThat(RankingMetrics.novelty(0, 0)).isEqualTo(0.0);
    }

    @Test
    void undefinedWithoutAPositiveFuture() {
        float[] low = {1, 2};
        int[] items = {10, 20};
        assertThat(RankingMetrics.recallAtK(SLATE, 4, items, low, 4)).isNaN();
        assertThat(RankingMetrics.ndcgAtK(SLATE, 4, items, low, 4)).isNaN();
        assertThat(RankingMetrics.hitAtK(SLATE, 4, items, low, 4)).isNaN();
        assertThat(RankingMetrics.precisionAtK(SLATE, 4, items, low, 4)).isEqualTo(0.0);
        assertThat(RankingMetrics.meanReward(SLATE, 4, items, low)).isEqualTo((-1.0 - 0.5) / 4);
    }

    @Test
    void evaluatorJudgesEachSlateAgainstTheUsersNextRatingsOnly() {
        var settings = new PrequentialEvaluator.Settings(2, 4.0, 2, 2, 0);
        var ev = new PrequentialEvaluator(settings, ItemCatalog.range(10));
        List<PolicyMetrics> out = new ArrayList<>();
        out.addAll(ev.onEvent(1, "r1", 1, 5, 0));
        ev.onSlate("a", 1, "r1", new int[] {2, 3}); // novelty: no ratings yet of 2, 3 among 1 user → 1 + 1
        ev.onSlate("a", 2, "r2", new int[] {1, 5}); // before its event (async): 1 has 1 rating of 1 user → 0, 5 → 1
        out.addAll(ev.onEvent(2, "r2", 7, 3, 1)); // user 2 never rates again: its slate stays unjudged
        assertThat(out).noneMatch(m -> m.scope.equals(PolicyMetrics.SCOPE_EVENTS));
        out.addAll(ev.onEvent(1, "r3", 2, 4, 2));
        out.addAll(ev.onEvent(1, "r4", 4, 5, 3)); // user 1's horizon full: future = 2 ★4, 4 ★5
        PolicyMetrics window = out.stream()
                .filter(m -> m.scope.equals(PolicyMetrics.SCOPE_EVENTS))
                .findFirst()
                .orElseThrow();
        assertThat(window.count).isEqualTo(1);
        assertThat(window.windowStart).isEqualTo(2);
        assertThat(window.windowEnd).isEqualTo(3);

        List<PolicyMetrics> end = ev.finish();
        PolicyMetrics cum = end.stream()
                .filter(m -> m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE))
                .findFirst()
                .orElseThrow();
        Map<String, Double> v = cum.values;
        assertThat(cum.count).isEqualTo(2);
        assertThat(v.get("judged")).isEqualTo(1.0);
        assertThat(v.get("precision@2")).isEqualTo(0.5);
        assertThat(v.get("recall@2")).isEqualTo(0.5);
        assertThat(v.get("ndcg@2")).isCloseTo(4 / (5 + 4 / LOG2_3), within(1e-12));
        assertThat(v.get("hit@2")).isEqualTo(1.0);
        assertThat(v.get("mrr")).isEqualTo(1.0);
        assertThat(v.get("reward")).isEqualTo(0.25);
        assertThat(v.get("coverage")).isEqualTo(0.4);
        assertThat(v.get("novelty")).isEqualTo(0.75);
        for (PolicyMetrics m : end)
            assertThat(TopicSchemas.violations("metrics", Json.write(m)))
                    .as(m.toString())
                    .isEmpty();
    }

    @Test
    void longStreamsKeepBoundedUserLogsAndJudgeEverySlateTheSame() {
        var ev = new PrequentialEvaluator(new PrequentialEvaluator.Settings(1, 4.0, 2, 0, 0), ItemCatalog.range(20000));
        int n = 2 * PrequentialEvaluator.RETAINED_LATE
                + 600; // long enough for the amortised log compaction to forget r0
        for (int i = 0; i < n; i++) {
            ev.onEvent(1, "r" + i, i + 1, 5, i);
            ev.onSlate("oracle", 1, "r" + i, new int[] {i + 2}); // the user's next item: always a hit
            if (i >= 1)
                ev.onSlate(
                        "lagging", 1, "r" + (i - 1), new int[] {i + 1}); // one event late: still judged on ITS future
        }
        ev.onSlate("oracle", 1, "r0", new int[] {2}); // n events late: its future was forgotten
        int tail = PrequentialEvaluator.RETAINED_LATE + 40; // ... so once it is that late
        for (int i = n; i < n + tail; i++) ev.onEvent(1, "r" + i, 5000 + i, 1, i); // it is dropped, not judged
        assertThat(ev.droppedLate()).isEqualTo(1);
        var log = ev.users.get(1);
        assertThat(log.size)
                .isLessThan(2 * PrequentialEvaluator.RETAINED_LATE + 200)
                .isLessThan(n); // bounded, not the whole stream
        var cum = ev.finish().stream().collect(java.util.stream.Collectors.toMap(m -> m.policy, m -> m));
        assertThat(cum.get("oracle").count).isEqualTo(n);
        assertThat(cum.get("oracle").values.get("judged")).isEqualTo((double) n);
        assertThat(cum.get("oracle").values.get("hit@1")).isEqualTo(1.0);
        assertThat(cum.get("lagging").count).isEqualTo(n - 1);
        assertThat(cum.get("lagging").values.get("hit@1")).isEqualTo(1.0);
    }
}
