package io.streamrec.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.schema.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardLedgerTest {
    static SlateDecision decision(String id, long t, int[] window, int... slate) {
        return new SlateDecision(id, 7, "drr", 3, t, window, new float[] {0.5f, -0.5f}, slate);
    }

    @Test
    void rewardsRatedSlateItemsWithinTheHorizonAndCompletesAtTheDecisionForItsLastRating() {
        RewardLedger ledger = new RewardLedger(3, 0f);
        assertThat(ledger.onDecision(decision("r1", 100, new int[] {1}, 10, 11, 12)))
                .isEmpty();
        assertThat(ledger.onRating(11, 5f, 110)).isEmpty(); // +1
        assertThat(ledger.onDecision(decision("r2", 110, new int[] {1, 11}, 20)))
                .isEmpty(); // next state of r1
        assertThat(ledger.onRating(12, 1f, 120)).isEmpty(); // -1
        assertThat(ledger.onDecision(decision("r3", 120, new int[] {1, 11}, 21)))
                .isEmpty();
        // Third rating: r1's horizon is full, but the slate for this rating (whose future overlaps r1's labels) has not
        // been decided yet: r1 must wait for it.
        assertThat(ledger.onRating(11, 1f, 130)).isEmpty(); // 11 counted once only
        List<Transition> out = ledger.onDecision(decision("r4", 130, new int[] {1, 11}, 22));
        assertThat(out).hasSize(1);
        Transition t = out.get(0);
        assertThat(t.requestId).isEqualTo("r1");
        assertThat(t.reward).isCloseTo(0f, within(1e-6f));
        assertThat(t.hits).isEqualTo(2);
        assertThat(t.horizonEvents).isEqualTo(3);
        assertThat(t.state.window).containsExactly(1);
        assertThat(t.nextState.window).containsExactly(1, 11);
        assertThat(t.done).isFalse();
        assertThat(t.recommendedAt).isEqualTo(100);
        assertThat(t.eventTime).isEqualTo(130);
        assertThat(t.action).containsExactly(0.5f, -0.5f);
        assertThat(ledger.openCount()).isEqualTo(3); // r2, r3, r4 (horizons not full)
    }

    @Test
    void aRatingAtTheSameSecondButLaterInTheStreamIsInTheFutureAsTheEvaluatorSeesIt() {
        RewardLedger ledger = new RewardLedger(1, 0f);
        ledger.onDecision(decision("r1", 100, new int[0], 10, 11));
        ledger.onRating(10, 5f, 100); // same second as r1's rating, after it in the user's order
        List<Transition> out = ledger.onDecision(decision("r2", 100, new int[] {10}, 11));
        assertThat(out).extracting(t -> t.requestId).containsExactly("r1");
        assertThat(out.get(0).hits).isEqualTo(1);
        assertThat(out.get(0).horizonPositives).containsExactly(10);
    }

    @Test
    void eventsBeyondTheHorizonDoNotCountAndUnratedItemsGetTheConfiguredValue() {
        RewardLedger ledger = new RewardLedger(2, -0.1f);
        ledger.onDecision(decision("r1", 0, new int[0], 10, 11, 12, 13));
        ledger.onRating(99, 4f, 1);
        ledger.onDecision(decision("r2", 1, new int[] {99}, 10));
        assertThat(ledger.onRating(10, 5f, 2)).isEmpty(); // second rating: r1's horizon is full
        List<Transition> out = ledger.onDecision(decision("r3", 2, new int[] {99, 10}, 11));
        assertThat(out).extracting(t -> t.requestId).containsExactly("r1");
        assertThat(out.get(0).reward).isCloseTo(1f + 3 * -0.1f, within(1e-6f));
        // Item 11 rated after r1's horizon: no effect on r1 (already emitted), none on r2 (not in its slate).
        ledger.onRating(11, 5f, 3);
        out = ledger.onDecision(decision("r4", 3, new int[] {99, 10}, 12));
        assertThat(out).extracting(t -> t.requestId).containsExactly("r2");
        assertThat(out.get(0).reward).isCloseTo(1f, within(1e-6f)); // r2's slate {10}: rated 5 at t=2
    }

    @Test
    void sessionEndTruncatesEverythingOpen() {
        RewardLedger ledger = new RewardLedger(10, 0f);
        ledger.onDecision(decision("r1", 0, new int[] {1}, 10, 11));
        ledger.onRating(10, 4f, 5);
        ledger.onDecision(decision("r2", 5, new int[] {1, 10}, 11, 12));
        List<Transition> out = new ArrayList<>(ledger.closeSession());
        assertThat(out).extracting(t -> t.requestId).containsExactly("r1", "r2");
        // A pause is not the end of the user: truncated, not terminal (the learner bootstraps from s').
        assertThat(out).noneMatch(t -> t.done);
        assertThat(out.get(0).reward).isCloseTo(0.5f, within(1e-6f));
        assertThat(out.get(0).nextState.window).containsExactly(1, 10);
        assertThat(out.get(0).eventTime).isEqualTo(5);
        // No later recommendation: the next state is the state itself.
        assertThat(out.get(1).nextState.window).containsExactly(1, 10);
        assertThat(out.get(1).horizonEvents).isZero();
        assertThat(ledger.isEmpty()).isTrue();
    }
}
