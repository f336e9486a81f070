package io.streamrec.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dashboard's data stays bounded in a long run, and merging windows keeps the curves' values. */
class DashboardStateTest {
    private static PolicyMetrics window(String policy, String scope, long i, long count, double hit) {
        PolicyMetrics m = new PolicyMetrics();
        m.policy = policy;
        m.scope = scope;
        m.k = 10;
        m.eventsSeen = i * 100;
        m.windowStart = i * 1000;
        m.windowEnd = i * 1000 + 999;
        m.count = count;
        m.values.put("hit@10", hit);
        return m;
    }

    @Test
    void aLongRunIsCompactedWithoutChangingTheCumulativeCurve() throws Exception {
        DashboardState bounded = new DashboardState("t", 1_000);
        DashboardState unbounded = new DashboardState("t", Integer.MAX_VALUE);
        Random random = new Random(5);
        long slates = 0;
        double hits = 0;
        for (int i = 1; i <= 5_000; i++) {
            for (String policy : new String[] {"a", "b"}) {
                int n = 1 + random.nextInt(20);
                double hit = random.nextDouble() * (policy.equals("a") ? 0.2 : 0.6);
                PolicyMetrics w = window(policy, PolicyMetrics.SCOPE_EVENTS, i, n, hit);
                bounded.addMetrics(w);
                unbounded.addMetrics(w);
                bounded.addMetrics(window(policy, PolicyMetrics.SCOPE_CUMULATIVE, i, n, hit)); // the latest is kept
                if (policy.equals("a")) {
                    slates += n;
                    hits += hit * n;
                }
            }
        }
        JsonNode b = Json.MAPPER.readTree(bounded.toJson());
        JsonNode u = Json.MAPPER.readTree(unbounded.toJson());
        JsonNode cumulative = b.at("/curves/hit@10/cumulative/a");
        double last = cumulative.get(cumulative.size() - 1).get(1).asDouble();
        assertThat(last).isCloseTo(hits / slates, within(1e-5));
        JsonNode exact = u.at("/curves/hit@10/cumulative/a");
        assertThat(last).isCloseTo(exact.get(exact.size() - 1).get(1).asDouble(), within(1e-5));
        // the smoothed curve keeps its level (means over a twentieth of the slates)
        JsonNode smoothB = b.at("/curves/hit@10/smoothed/b");
        JsonNode smoothU = u.at("/curves/hit@10/smoothed/b");
        assertThat(smoothB.get(smoothB.size() - 1).get(1).asDouble())
                .isCloseTo(smoothU.get(smoothU.size() - 1).get(1).asDouble(), within(0.02));
        assertThat(bounded.windowRecords()).isLessThanOrEqualTo(1_000);
        // the leaderboard shows each policy's latest cumulative record (here: the last window's own values)
        assertThat(b.at("/leaderboard").size()).isEqualTo(2);
        for (JsonNode row : b.at("/leaderboard"))
            assertThat(row.path("slates").asLong()).isBetween(1L, 20L);
        assertThat(unbounded.windowRecords()).isEqualTo(10_000);
    }
}
