package io.streamrec.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Transition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class JoinStateCodecTest {
    private static RewardJoiner.UserJoinState roundTrip(RewardJoiner.UserJoinState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.write(out);
        return RewardJoiner.UserJoinState.read(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static String describe(List<Transition> ts) {
        List<String> out = new ArrayList<>();
        for (Transition t : ts) {
            out.add(t.requestId + " r=" + t.reward + " hits=" + t.hits + " seen=" + t.horizonEvents + " next="
                    + java.util.Arrays.toString(t.nextState.window) + " pos="
                    + java.util.Arrays.toString(t.horizonPositives)
                    + " done=" + t.done + " at=" + t.eventTime + " v" + t.modelVersion + " " + t.policy
                    + " a=" + java.util.Arrays.toString(t.action));
        }
        return String.join("\n", out);
    }

    @Test
    void aLedgerRestoredMidwayProducesTheSameTransitionsAsOneNeverWritten() throws IOException {
        RewardLedger kept = new RewardLedger(3, -0.1f, 4f);
        RewardJoiner.UserJoinState written = new RewardJoiner.UserJoinState(new RewardLedger(3, -0.1f, 4f));
        List<Transition> fromKept = new ArrayList<>(), fromWritten = new ArrayList<>();
        SlateDecision first = RewardLedgerTest.decision("r1", 100, new int[] {1, 2}, 10, 11, 12);
        first.policy = null; // nullable fields survive too
        fromKept.addAll(kept.onDecision(first));
        fromWritten.addAll(written.ledger.onDecision(first));
        fromKept.addAll(kept.onRating(11, 5f, 110));
        fromWritten.addAll(written.ledger.onRating(11, 5f, 110));
        SlateDecision second = RewardLedgerTest.decision("r2", 120, new int[] {1, 2, 11}, 20, 21);
        fromKept.addAll(kept.onDecision(second));
        fromWritten.addAll(written.ledger.onDecision(second));

        RewardJoiner.UserJoinState restored = roundTrip(written);
        assertThat(restored.ledger.openCount()).isEqualTo(2);
        assertThat(restored.ledger.lastEventTime()).isEqualTo(120);
        for (long t = 130; t <= 160; t += 10) {
            fromKept.addAll(kept.onRating((int) t / 10 + 8, 4.5f, t));
            fromWritten.addAll(restored.ledger.onRating((int) t / 10 + 8, 4.5f, t));
        }
        fromKept.addAll(kept.closeSession());
        fromWritten.addAll(restored.ledger.closeSession());
        assertThat(fromKept).hasSizeGreaterThanOrEqualTo(2);
        assertThat(describe(fromWritten)).isEqualTo(describe(fromKept));
    }

    @Test
    void waitingEventsKeepTheirTimesKindsAndArrivalOrder() throws IOException {
        RewardJoiner.UserJoinState s = new RewardJoiner.UserJoinState(new RewardLedger(2, 0f));
        SlateDecision d = RewardLedgerTest.decision("r9", 500, new int[] {3}, 30, 31);
        s.waiting.computeIfAbsent(500L, t -> new ArrayList<>()).add(d);
        s.waiting.computeIfAbsent(500L, t -> new ArrayList<>()).add(new RatingEvent(7, 30, 4f, 500));
        s.waiting.computeIfAbsent(400L, t -> new ArrayList<>()).add(new RatingEvent(7, 29, 2.5f, 400));

        RewardJoiner.UserJoinState r = roundTrip(s);
        assertThat(r.waiting.keySet()).containsExactly(400L, 500L);
        assertThat(r.waiting.get(400L)).containsExactly(new RatingEvent(7, 29, 2.5f, 400));
        List<Object> at500 = r.waiting.get(500L);
        assertThat(at500).hasSize(2);
        SlateDecision back = (SlateDecision) at500.get(0);
        assertThat(back).usingRecursiveComparison().isEqualTo(d);
        assertThat(at500.get(1)).isEqualTo(new RatingEvent(7, 30, 4f, 500));
    }

    @Test
    void unknownFormatIsAClearError() {
        assertThatThrownBy(() -> RewardJoiner.UserJoinState.read(new DataInputDeserializer(new byte[] {9, 0, 0})))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown format 9");
    }
}
