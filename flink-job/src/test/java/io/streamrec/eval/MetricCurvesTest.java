package io.streamrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.schema.PolicyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricCurvesTest {
    private static PolicyMetrics window(String policy, String scope, long events, long count, double hit) {
        PolicyMetrics m = new PolicyMetrics();
        m.policy = policy;
        m.scope = scope;
        m.k = 10;
        m.eventsSeen = events;
        m.windowStart = events * 1000;
        m.windowEnd = events * 1000 + 999;
        m.count = count;
        m.values.put("hit@10", hit);
        return m;
    }

    @Test
    void cumulativeIsTheSlateWeightedRunningMean() {
        List<PolicyMetrics> records = List.of(
                window("a", PolicyMetrics.SCOPE_DAY, 10, 1, 1.0),
                window("a", PolicyMetrics.SCOPE_DAY, 20, 3, 0.0),
                window("a", PolicyMetrics.SCOPE_DAY, 30, 4, 0.5),
                window("a", PolicyMetrics.SCOPE_EVENTS, 30, 8, 0.9)); // another scope: not mixed in
        MetricCurves.Curve c =
                MetricCurves.of(records, PolicyMetrics.SCOPE_DAY, "hit@10", 100).get("a");
        assertThat(c.cumulative()).extracting(MetricCurves.Point::value).containsExactly(1.0, 0.25, 0.375);
        assertThat(c.slates()).isEqualTo(8);
        // fewer slates than one span: the smoothed line is the last point only (the cumulative mean)
        assertThat(c.smoothed()).hasSize(1);
        assertThat(c.smoothed().get(0).value()).isEqualTo(0.375);
    }

    @Test
    void smoothingTinyDayWindowsGivesAReadableLineThatStillFollowsAChange() {
        Random random = new Random(3);
        List<PolicyMetrics> records = new ArrayList<>();
        // 2,000 day windows of 1-3 slates; the true hit rate moves from 0.2 to 0.6 halfway
        for (int day = 0; day < 2000; day++) {
            int n = 1 + random.nextInt(3);
            double p = day < 1000 ? 0.2 : 0.6;
            int hits = 0;
            for (int i = 0; i < n; i++) if (random.nextDouble() < p) hits++;
            records.add(window("drr", PolicyMetrics.SCOPE_DAY, day, n, hits / (double) n));
        }
        MetricCurves.Curve c = MetricCurves.of(records, PolicyMetrics.SCOPE_DAY, "hit@10", 10_000)
                .get("drr");
        assertThat(c.span()).isEqualTo(Math.max(MetricCurves.MIN_SPAN, c.slates() / MetricCurves.SPAN_DIVISOR));
        double rawJump =
                maxStep(records.stream().map(m -> m.values.get("hit@10")).toList());
        double smoothJump =
                maxStep(c.smoothed().stream().map(MetricCurves.Point::value).toList());
        assertThat(rawJump).isGreaterThan(0.9);
        assertThat(smoothJump).isLessThan(0.05);
        // it follows the change: early points near 0.2, late points near 0.6
        assertThat(c.smoothed().get(10).value()).isCloseTo(0.2, within(0.08));
        assertThat(c.smoothed().get(c.smoothed().size() - 1).value()).isCloseTo(0.6, within(0.08));
        assertThat(c.cumulative().get(c.cumulative().size() - 1).value()).isCloseTo(0.4, within(0.05));
    }

    @Test
    void theScopeWithMoreWindowsIsDrawnAndLinesAreThinned() {
        List<PolicyMetrics> records = new ArrayList<>();
        for (int i = 1; i <= 500; i++) records.add(window("p", PolicyMetrics.SCOPE_EVENTS, i, 50, 0.1));
        records.add(window("p", PolicyMetrics.SCOPE_DAY, 500, 25_000, 0.1));
        assertThat(MetricCurves.windowScope(records)).isEqualTo(PolicyMetrics.SCOPE_EVENTS);
        assertThat(MetricCurves.windowScope(List.of())).isNull();
        Map<String, MetricCurves.Curve> curves = MetricCurves.of(records, PolicyMetrics.SCOPE_EVENTS, "hit@10", 50);
        assertThat(curves.get("p").cumulative()).hasSize(50);
        assertThat(curves.get("p").cumulative().get(49).events()).isEqualTo(500);
        assertThat(MetricCurves.of(records, PolicyMetrics.SCOPE_EVENTS, "ndcg@10", 50))
                .isEmpty();
    }

    private static double maxStep(List<Double> values) {
        double max = 0;
        for (int i = 1; i < values.size(); i++) max = Math.max(max, Math.abs(values.get(i) - values.get(i - 1)));
        return max;
    }
}
