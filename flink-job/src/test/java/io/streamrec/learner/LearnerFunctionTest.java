package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.schema.Transition;
import io.streamrec.weights.WeightsMessage;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The learner operator: publications, and (c) checkpoint/restore through Flink operator state. */
class LearnerFunctionTest {
    static LearnerFunction function() {
        return new LearnerFunction(
                DrrLearnerTest.settings(), DrrLearnerTest.ACTOR, DrrLearnerTest.CATALOG, 60_000, 10, 2);
    }

    static OneInputStreamOperatorTestHarness<Transition, WeightsMessage> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(function()));
    }

    static Transition transition(int i) {
        Experience e = DrrLearnerTest.experience(i);
        Transition t = new Transition();
        t.requestId = "r" + i;
        t.userId = e.userId();
        t.policy = "drr";
        t.modelVersion = 0;
        t.state = new Transition.UserState(e.userId(), e.window());
        t.action = e.action();
        t.reward = e.reward();
        t.nextState = new Transition.UserState(e.userId(), e.nextWindow());
        t.done = e.done();
        t.horizonPositives = e.positives();
        return t;
    }

    @Test
    void publishesEverySStepsAndRestoresExactlyFromACheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        List<WeightsMessage> before;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 40; i++) h.processElement(transition(i), i);
            before = h.extractOutputValues();
            snapshot = h.snapshot(1, 1);
            for (int i = 40; i < 80; i++) h.processElement(transition(i), i);
            List<WeightsMessage> all = h.extractOutputValues();
            // 33 steps by t=40 (warm at 8) -> v1 (full) at step 10, v2 (delta) at 20, v3 (full) at 30.
            assertThat(before).extracting(m -> m.version).containsExactly(1L, 2L, 3L);
            assertThat(before).extracting(m -> m.key).containsExactly("full", "delta", "full");
            for (WeightsMessage m : all)
                assertThat(TopicSchemas.violations("actor-weights", m.json)).isEmpty();

            // A restored operator continues exactly: same later publications, bit for bit.
            try (var r = harness()) {
                r.initializeState(snapshot);
                r.open();
                for (int i = 40; i < 80; i++) r.processElement(transition(i), i);
                List<WeightsMessage> resumed = r.extractOutputValues();
                List<WeightsMessage> expected = all.subList(before.size(), all.size());
                assertThat(resumed).hasSameSizeAs(expected).isNotEmpty();
                for (int j = 0; j < resumed.size(); j++) {
                    assertThat(resumed.get(j).version)
                            .isEqualTo(expected.get(j).version)
                            .isGreaterThan(3);
                    byte[] a = resumed.get(j).json;
                    byte[] b = expected.get(j).json;
                    // Full snapshots carry their wall-clock publication time; compare the decoded contents.
                    if (ActorWeightsCodec.isFull(b)) {
                        assertThat(ActorWeightsCodec.decodeFull(a)).isEqualTo(ActorWeightsCodec.decodeFull(b));
                    } else {
                        assertThat(ActorWeightsCodec.decodeDelta(a)).isEqualTo(ActorWeightsCodec.decodeDelta(b));
                    }
                }
            }
            ActorWeights chain = null;
            for (WeightsMessage m : all)
                chain = chain == null ? ActorWeightsCodec.decodeFull(m.json) : ActorWeightsCodec.applyTo(chain, m.json);
            assertThat(chain.version()).isEqualTo(all.get(all.size() - 1).version);
        }
    }
}
