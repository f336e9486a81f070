package io.streamrec.joiner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.schema.Topics;
import io.streamrec.schema.Transition;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RewardJoinerTest {
    private static final long GAP = 1_000;

    static KeyedTwoInputStreamOperatorTestHarness<Integer, RatingEvent, SlateDecision, Transition> harness()
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RewardJoiner(2, 0f, GAP)),
                (RatingEvent r) -> r.userId,
                (SlateDecision d) -> d.userId,
                Types.INT);
        h.open();
        return h;
    }

    static SlateDecision decision(int user, long t, int[] window, int... slate) {
        return new SlateDecision(user + "-" + t, user, "drr", 1, t, window, new float[] {0.1f, t / 1000f}, slate);
    }

    static void rating(
            KeyedTwoInputStreamOperatorTestHarness<Integer, RatingEvent, SlateDecision, Transition> h,
            int user,
            int item,
            float stars,
            long t)
            throws Exception {
        h.processElement1(new StreamRecord<>(new RatingEvent(user, item, stars, t), t));
    }

    static void decide(
            KeyedTwoInputStreamOperatorTestHarness<Integer, RatingEvent, SlateDecision, Transition> h, SlateDecision d)
            throws Exception {
        h.processElement2(new StreamRecord<>(d, d.eventTime));
    }

    static List<Transition> out(
            KeyedTwoInputStreamOperatorTestHarness<Integer, RatingEvent, SlateDecision, Transition> h) {
        return h.extractOutputValues();
    }

    @Test
    void joinsInEventTimeWhateverTheArrivalOrderAndNeverLeaksTheFuture() throws Exception {
        try (var h = harness()) {
            // The ratings of user 1 overtake the (asynchronous) decisions they triggered.
            rating(h, 1, 10, 5f, 100);
            rating(h, 1, 11, 5f, 200);
            rating(h, 1, 12, 1f, 300);
            rating(h, 1, 13, 5f, 400); // beyond the horizon (H=2) of the decision at t=100
            decide(h, decision(1, 300, new int[] {10, 11}, 13)); // the slate for the horizon's last rating
            decide(h, decision(1, 100, new int[] {10}, 11, 12, 13));
            decide(h, decision(1, 200, new int[] {10, 11}, 13));
            assertThat(out(h)).isEmpty(); // nothing before the watermark
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(300));
            List<Transition> first = out(h);
            assertThat(first).extracting(t -> t.requestId).containsExactly("1-100");
            Transition t = first.get(0);
            assertThat(t.reward).isEqualTo(1f + -1f); // 11 rated 5 (+1), 12 rated 1 (-1), 13 after the horizon
            assertThat(t.nextState.window).containsExactly(10, 11);
            assertThat(t.action)
                    .as("the decision's action, kept apart from the per-user state")
                    .containsExactly(0.1f, 0.1f);
            assertThat(t.eventTime).isEqualTo(300);
            assertThat(t.done).isFalse();
            // Valid against the topic schema.
            byte[] json = new ObjectMapper().writeValueAsBytes(t);
            assertThat(TopicSchemas.violations(Topics.TRANSITIONS, json)).isEmpty();
        }
    }

    @Test
    void withinAnInstantEachRatingIsFollowedByItsOwnDecisionWhateverTheArrivalOrder() throws Exception {
        try (var h = harness()) {
            // Two ratings in the same second; their decisions arrive in the opposite order (async actor).
            rating(h, 3, 10, 5f, 100);
            rating(h, 3, 11, 5f, 100);
            rating(h, 3, 12, 5f, 200);
            rating(h, 3, 13, 5f, 300);
            decide(h, new SlateDecision("3-11-100", 3, "drr", 1, 100, new int[] {10}, new float[] {1f, 1f}, new int[] {
                12, 13
            }));
            decide(h, new SlateDecision("3-10-100", 3, "drr", 1, 100, new int[0], new float[] {1f, 0f}, new int[] {
                11, 12
            }));
            decide(
                    h,
                    new SlateDecision(
                            "3-12-200", 3, "drr", 1, 200, new int[] {10, 11}, new float[] {1f, 2f}, new int[] {13}));
            decide(
                    h,
                    new SlateDecision(
                            "3-13-300", 3, "drr", 1, 300, new int[] {10, 11, 12}, new float[] {1f, 3f}, new int[] {14
                            }));
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(300));
            List<Transition> out = out(h);
            assertThat(out).extracting(t -> t.requestId).containsExactly("3-10-100", "3-11-100");
            // The slate of rating 10 is judged on the next two ratings in the user's order: 11 (same second) and 12.
            assertThat(out.get(0).hits).isEqualTo(2);
            assertThat(out.get(0).horizonPositives).containsExactly(11, 12);
            assertThat(out.get(0).nextState.window).containsExactly(10);
            assertThat(out.get(1).horizonPositives).containsExactly(12, 13);
            assertThat(out.get(1).nextState.window).containsExactly(10, 11);
        }
    }

    @Test
    void sessionGapTruncatesOpenTransitionsAndStateSurvivesASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            rating(h, 2, 10, 4f, 1_000);
            decide(h, decision(2, 1_000, new int[] {10}, 20, 21));
            rating(h, 2, 20, 5f, 1_500);
            decide(h, decision(2, 1_500, new int[] {10, 20}, 21));
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(1_600));
            assertThat(out(h)).isEmpty();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RewardJoiner(2, 0f, GAP)),
                (RatingEvent r) -> r.userId,
                (SlateDecision d) -> d.userId,
                Types.INT)) {
            h.initializeState(snapshot);
            h.open();
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2_499));
            assertThat(out(h)).isEmpty(); // 1500 + gap not reached
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2_500));
            List<Transition> done = out(h);
            assertThat(done).extracting(t -> t.requestId).containsExactly("2-1000", "2-1500");
            assertThat(done).noneMatch(t -> t.done);
            assertThat(done.get(0).reward).isEqualTo(1f);
            // The actions crossed the snapshot too (they live in their own map state).
            assertThat(done.get(0).action).containsExactly(0.1f, 1f);
            assertThat(done.get(1).action).containsExactly(0.1f, 1.5f);
            assertThat(done.stream().map(t -> t.eventTime).collect(Collectors.toList()))
                    .containsExactly(1_500L, 1_500L);
        }
    }

    /**
     * One session-end timer per user, moved with each event: a timer per event (its time + the gap) piled up millions
     * of timers at 2,000 events/s, each firing later only to load and store the state. The session still closes at
     * the last event + the gap, and not before.
     */
    @Test
    void oneSessionTimerPerUserMovesWithTheLastEvent() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 20; i++) {
                long t = 1_000 + 10L * i;
                rating(h, 3, 100 + i, 3f, t);
                decide(h, decision(3, t, new int[] {100 + i}, 200 + i, 201 + i));
            }
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(1_200));
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // last event 1,190: the session timer at 2,190
            int before = out(h).size();
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2_189));
            assertThat(out(h)).hasSize(before);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2_190));
            assertThat(out(h).size()).isGreaterThan(before); // the open decisions closed by the session end
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
