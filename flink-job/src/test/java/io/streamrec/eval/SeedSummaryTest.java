package io.streamrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.schema.PolicyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedSummaryTest {

    @Test
    void intervalIsStudentsTOverTheSeeds() {
        // mean 3, sample sd sqrt(2.5), t(0.975, 4) = 2.776: half-width 2.776·1.5811/√5 = 1.9630
        SeedSummary.Interval iv = SeedSummary.interval(new double[] {1, 2, 3, 4, 5});
        assertThat(iv.mean()).isEqualTo(3.0);
        assertThat(iv.halfWidth()).isCloseTo(1.9630, within(1e-4));
        assertThat(SeedSummary.interval(new double[] {7}).halfWidth()).isNaN();
        assertThat(SeedSummary.interval(new double[] {2, 2, 2}).halfWidth()).isZero();
        assertThat(new SeedSummary.Interval(1, 0.1, 5).separatedFrom(new SeedSummary.Interval(1.25, 0.1, 5)))
                .isTrue();
        assertThat(new SeedSummary.Interval(1, 0.2, 5).separatedFrom(new SeedSummary.Interval(1.25, 0.1, 5)))
                .isFalse();
    }

    @Test
    void drrsRatioIsPairedPerSeedAgainstTheBestOtherPolicyByMean() {
        SeedSummary s = new SeedSummary();
        // seed 1: drr 0.12, itemknn 0.10, mf 0.11; seed 2: drr 0.09, itemknn 0.10, mf 0.06 → best other by mean:
        // itemknn
        s.add(run(0.12, 0.10, 0.11));
        s.add(run(0.09, 0.10, 0.06));
        SeedSummary.Ratio r = s.ratioToBestOther("drr-greedy", "ndcg@10");
        assertThat(r.baseline()).isEqualTo("itemknn");
        assertThat(r.ratio().mean()).isCloseTo((1.2 + 0.9) / 2, within(1e-9));
        assertThat(r.ratio().halfWidth()).isCloseTo(12.706 * Math.sqrt(0.045) / Math.sqrt(2), within(1e-6));
        Map<String, SeedSummary.Interval> ndcg = s.intervals("ndcg@10");
        assertThat(ndcg.keySet()).containsExactly("drr-greedy", "itemknn", "mf");
        assertThat(ndcg.get("mf").mean()).isCloseTo(0.085, within(1e-9));
        assertThat(s.format(List.of("ndcg@10"))).contains("itemknn", "0.1000 ± 0.0000");
    }

    private static List<PolicyMetrics> run(double drr, double itemknn, double mf) {
        List<PolicyMetrics> out = new ArrayList<>();
        for (var e : List.of(Map.entry("drr-greedy", drr), Map.entry("itemknn", itemknn), Map.entry("mf", mf))) {
            PolicyMetrics m = new PolicyMetrics();
            m.policy = e.getKey();
            m.k = 10;
            m.values = new java.util.LinkedHashMap<>(Map.of("ndcg@10", e.getValue()));
            out.add(m);
        }
        return out;
    }
}
