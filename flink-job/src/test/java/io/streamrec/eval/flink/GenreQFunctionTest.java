package io.streamrec.eval.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The genre Q-tables live in keyed state keyed by genre: a snapshot restores them, and only involved genres learn. */
class GenreQFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, GenreTask, GenrePartial> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new GenreQFunction(0.1, 0.5, 4.0, 10)), t -> t.genre, Types.STRING);
    }

    private static GenreTask task(String genre, int user, int item, float rating, boolean learn) {
        GenreTask t = new GenreTask();
        t.genre = genre;
        t.requestId = user + "-" + item;
        t.userId = user;
        t.triggerItemId = item;
        t.triggerRating = rating;
        t.eventTime = 1000L * item;
        t.learn = learn;
        t.expected = 1;
        t.ratedItems = new int[0];
        return t;
    }

    @Test
    void qTablesAndUserSubStatesSurviveSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            // user 1 likes item 10 (Action) from the empty state: Q_Action(∅, 10) = 0.1 · (1 + 0.5 · 0 − 0) = 0.1
            h.processElement(new StreamRecord<>(task("Action", 1, 10, 5f, true), 10_000));
            // user 1 dislikes item 11 from state [10]: Q_Action(10, 11) = 0.1 · (−1 + 0.5 · 0 − 0) = −0.1
            h.processElement(new StreamRecord<>(task("Action", 1, 11, 1f, true), 11_000));
            snapshot = h.snapshot(1L, 12_000L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(task("Action", 2, 99, 3f, false), 13_000)); // user 2: empty state
            h.processElement(
                    new StreamRecord<>(task("Action", 1, 98, 3f, false), 14_000)); // user 1: state [10], restored
            h.processElement(new StreamRecord<>(task("Comedy", 2, 97, 3f, false), 15_000)); // Comedy never learned
            List<GenrePartial> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0).items).containsExactly(10);
            assertThat(out.get(0).values).containsExactly(0.1f);
            assertThat(out.get(1).items).containsExactly(11);
            assertThat(out.get(1).values).containsExactly(-0.1f);
            assertThat(out.get(2).items).isEmpty();
        }
    }
}
