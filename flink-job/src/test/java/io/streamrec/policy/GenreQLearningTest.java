package io.streamrec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GenreQLearningTest {
    /** Rows in a HashMap, Q-values on a coarse grid so that many ties occur. */
    private static GenreQLearning.Rows randomRows(Random rnd, int subStates, int actions) {
        Map<Integer, QRow> table = new HashMap<>();
        for (int m = 0; m <= subStates; m++) {
            QRow row = new QRow();
            for (int j = 0; j < actions; j++)
                if (rnd.nextInt(3) > 0) row.add(rnd.nextInt(actions * 2), rnd.nextInt(7) / 4f - 0.5f);
            table.put(m, row);
        }
        return new GenreQLearning.Rows() {
            public QRow get(int m) {
                return table.get(m);
            }

            public void put(int m, QRow row) {
                table.put(m, row);
            }
        };
    }

    @Test
    void bestIsTheTopOfAllActionsByValueThenLowerItemIdWithoutRatedOnes() throws Exception {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            GenreQLearning.Rows rows = randomRows(rnd, 6, 40);
            int[] state =
                    switch (trial % 3) {
                        case 0 -> null;
                        case 1 -> new int[] {1 + rnd.nextInt(6)};
                        default -> new int[] {1, 2 + rnd.nextInt(3), 5};
                    };
            int[] rated = rnd.ints(10, 0, 80).sorted().distinct().toArray();
            // Reference: every action's mean over the sub-states, rated ones dropped, fully sorted.
            int[] subs = state == null ? new int[] {GenreQLearning.EMPTY_SUBSTATE} : state;
            Map<Integer, Float> q = new HashMap<>();
            for (int m : subs) {
                QRow row = rows.get(m);
                for (int i = 0; i < row.actions.length; i++)
                    q.merge(row.actions[i], row.values[i] / subs.length, Float::sum);
            }
            List<GenreQLearning.Candidate> all = new ArrayList<>();
            q.forEach((a, v) -> {
                if (!Scoring.rated(rated, a)) all.add(new GenreQLearning.Candidate(a, v));
            });
            all.sort(Comparator.comparing((GenreQLearning.Candidate c) -> -c.q())
                    .thenComparingInt(GenreQLearning.Candidate::item));
            int n = 1 + rnd.nextInt(12);
            assertThat(GenreQLearning.best(rows, state, n, rated))
                    .as("trial %d", trial)
                    .containsExactlyElementsOf(all.subList(0, Math.min(n, all.size())));
            assertThat(GenreQLearning.values(rows, state)).isEqualTo(q);
        }
    }
}
