package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.Transition;
import org.junit.jupiter.api.Test;

class ExperienceTest {
    private static Transition transition() {
        Transition t = new Transition();
        t.userId = 7;
        t.state = new Transition.UserState(7, new int[] {1, 2});
        t.nextState = new Transition.UserState(7, new int[] {2, 9});
        t.action = new float[] {0.5f, -0.5f};
        t.reward = 1f;
        t.slate = new int[] {30, 9, 12, 40};
        t.horizonPositives = new int[] {9, 15, 40, 3};
        return t;
    }

    @Test
    void theLearnerSeesEveryHorizonPositiveOrOnlyTheSlatesHits() {
        Experience all = Experience.of(transition(), false);
        assertThat(all.positives()).containsExactly(9, 15, 40, 3);
        assertThat(all.window()).containsExactly(1, 2);
        assertThat(all.nextWindow()).containsExactly(2, 9);
        assertThat(all.reward()).isEqualTo(1f);
        assertThat(all.slate()).containsExactly(30, 9, 12, 40);
        // only what the served slate contained, in horizon order
        assertThat(Experience.of(transition(), true).positives()).containsExactly(9, 40);
    }
}
