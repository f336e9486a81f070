package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinUcbPolicyTest {
    @Test
    void factorisedScoresEqualTheDirectUcbOfEveryItem() {
        SyntheticGenerator.SyntheticData data = SyntheticGenerator.generate(SyntheticConfig.of(150, 400, 4000, 11));
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        LinUcbPolicy policy =
                new LinUcbPolicy(new PolicyContext(catalog, StageSettings.policies(StreamrecConfig.defaults())));
        EventLog events = data.events();
        Map<Integer, ArrayDeque<Integer>> windows = new HashMap<>();
        int checked = 0;
        for (int i = 0; i < events.size(); i++) {
            ArrayDeque<Integer> w = windows.computeIfAbsent(events.userId(i), u -> new ArrayDeque<>());
            int[] window = w.stream().mapToInt(Integer::intValue).toArray();
            if (i % 997 == 0 || i == events.size() - 1) {
                float[] fast = policy.scores(window);
                for (int j = 0; j < catalog.size(); j++) {
                    double direct = policy.directScore(window, j);
                    assertThat((double) fast[j])
                            .as("item %d after %d events", j, i)
                            .isCloseTo(direct, within(1e-5 * Math.max(1, Math.abs(direct))));
                }
                checked++;
            }
            policy.update(new RecommendationRequest(
                    "r" + i, events.userId(i), events.itemId(i), events.rating(i), events.timestamp(i), window, null));
            if (events.rating(i) >= 4) {
                w.addLast(events.itemId(i));
                if (w.size() > 5) w.removeFirst();
            }
        }
        assertThat(checked).isGreaterThan(3);
        // θ is updated incrementally; it must still be A⁻¹b after thousands of updates.
        assertThat(policy.thetaDrift()).isLessThan(1e-9);
        // The model learned something: scores are not all equal.
        float[] last = policy.scores(new int[0]);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float s : last) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        assertThat(max - min).isGreaterThan(1e-3f);
    }
}
