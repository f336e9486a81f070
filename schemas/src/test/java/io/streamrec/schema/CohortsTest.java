package io.streamrec.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortsTest {
    private static final List<String> POLICIES = List.of("random", "popularity", "itemknn", "mf", "linucb", "drr");

    @Test
    void everyUserHasOneStableCohortAndTheCohortsAreAboutEqual() {
        Cohorts cohorts = new Cohorts(POLICIES);
        Map<String, Integer> sizes = new HashMap<>();
        for (int u = 1; u <= 60_000; u++) {
            String c = cohorts.of(u);
            assertThat(POLICIES).contains(c);
            assertThat(new Cohorts(POLICIES).of(u)).isEqualTo(c);
            sizes.merge(c, 1, Integer::sum);
        }
        assertThat(sizes).hasSize(POLICIES.size());
        for (int n : sizes.values()) assertThat(n).isBetween(9_500, 10_500);
    }

    @Test
    void consecutiveIdsAreNotAssignedRoundRobin() {
        Cohorts cohorts = new Cohorts(POLICIES);
        int sameAsModulo = 0;
        for (int u = 0; u < 6_000; u++) if (cohorts.of(u).equals(POLICIES.get(u % POLICIES.size()))) sameAsModulo++;
        assertThat(sameAsModulo).isBetween(700, 1_300); // ~1/6 by chance, not all
    }
}
