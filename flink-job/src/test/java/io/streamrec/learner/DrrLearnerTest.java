package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.Rng;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.TestSettings;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrrLearnerTest {
    static final ActorSettings ACTOR = TestSettings.actor()
            .embeddingDim(8)
            .hiddenDim(16)
            .windowSize(3)
            .k(4)
            .seed(9)
            .build();
    static final ItemCatalog CATALOG = ItemCatalog.range(40);

    static LearnerSettings settings() {
        LearnerSettings ls = TestSettings.learner();
        ls.batchSize = 8;
        ls.warmup = 8;
        ls.criticHiddenDim = 16;
        ls.bufferCapacity = 64;
        ls.seed = 17;
        ls.replayRatio = 8; // one step of B = 8 samples per transition
        ls.pacing = Pacing.SYNC;
        return ls;
    }

    static DrrLearner learner() {
        return new DrrLearner(settings(), ActorWeights.seeded(ACTOR, CATALOG));
    }

    /** A deterministic stream of experiences: users 1..6, windows over items 1..40. */
    static Experience experience(int i) {
        Rng r = new Rng(1000 + i);
        int user = 1 + r.nextInt(6);
        int[] w = {1 + r.nextInt(40), 1 + r.nextInt(40)};
        int[] next = {w[1], 1 + r.nextInt(40)};
        float[] a = new float[8];
        for (int c = 0; c < 8; c++) a[c] = (float) (r.nextDouble() * 2 - 1);
        return new Experience(
                user, w, a, (float) (r.nextDouble() * 2 - 1), next, r.nextInt(10) == 0, new int[] {1 + r.nextInt(40)});
    }

    @Test
    void trainsEveryMTransitionsOnceWarmAndChangesTheActor() {
        DrrLearner l = learner();
        ActorWeights before = l.currentWeights();
        for (int i = 0; i < 7; i++)
            assertThat(l.observe(experience(i)).trained()).isFalse();
        assertThat(l.observe(experience(7)).trained()).isTrue();
        for (int i = 8; i < 40; i++) l.observe(experience(i));
        assertThat(l.steps()).isEqualTo(33);
        assertThat(l.skippedSteps()).isZero();
        ActorWeights after = l.currentWeights();
        assertThat(after.tensor(ActorWeights.FC1_WEIGHT)).isNotEqualTo(before.tensor(ActorWeights.FC1_WEIGHT));
        assertThat(after.tensor(ActorWeights.POOL)).isNotEqualTo(before.tensor(ActorWeights.POOL));
        assertThat(after.learnedUserIds()).isNotEmpty();
        assertThat(l.lastStep().criticLoss()).isFinite();
    }

    /**
     * A checkpoint stores the snapshot in chunks that share the replay entries' cached encodings: their concatenation
     * is the whole snapshot, also after the ring (capacity 64) overwrote entries an earlier checkpoint had encoded, and
     * a learner restored from them continues with the same snapshot.
     */
    @Test
    void chunkedSnapshotsAreTheWholeSnapshotAcrossCheckpoints() {
        DrrLearner a = learner();
        for (int i = 0; i < 40; i++) a.observe(experience(i));
        assertThat(LearnerSnapshot.concat(a.snapshotChunks())).isEqualTo(a.snapshot());
        for (int i = 40; i < 100; i++) a.observe(experience(i));
        List<byte[]> chunks = a.snapshotChunks();
        assertThat(LearnerSnapshot.concat(chunks)).isEqualTo(a.snapshot());
        DrrLearner b = DrrLearner.restore(chunks);
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
        assertThat(b.observe(experience(100))).isEqualTo(a.observe(experience(100)));
    }

    /**
     * Checkpoint → restore → the next 30 steps equal an uninterrupted run, bit for bit: networks, targets, Adam
     * moments, user rows, replay buffer and RNG all travel in the snapshot.
     */
    @Test
    void snapshotRestoreReproducesNetworksOptimizerAndBufferExactly() {
        DrrLearner a = learner();
        for (int i = 0; i < 30; i++) a.observe(experience(i));
        a.publish(3);
        byte[] snap = a.snapshot();
        DrrLearner b = DrrLearner.restore(snap);
        assertThat(b.snapshot()).isEqualTo(snap);
        assertThat(b.currentWeights()).isEqualTo(a.currentWeights());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.version()).isEqualTo(a.version());
        assertThat(b.bufferSize()).isEqualTo(a.bufferSize());
        for (int i = 30; i < 60; i++) {
            DrrLearner.StepResult ra = a.observe(experience(i));
            DrrLearner.StepResult rb = b.observe(experience(i));
            assertThat(rb).isEqualTo(ra);
        }
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
        DrrLearner.Publication pa = a.publish(3);
        DrrLearner.Publication pb = b.publish(3);
        assertThat(pb.version()).isEqualTo(pa.version()).isGreaterThan(1);
        assertThat(pb.weights()).isEqualTo(pa.weights());
    }

    /** Test (d): a non-finite loss or gradient skips the step (counted) and nothing non-finite is ever published. */
    @Test
    void nonFiniteStepsAreSkippedAndCounted() {
        DrrLearner l = learner();
        for (int i = 0; i < 10; i++) l.observe(experience(i));
        assertThat(l.skippedSteps()).isZero();
        ActorWeights before = l.currentWeights();
        long steps = l.steps();
        // A NaN reward poisons the TD targets of any batch that samples it.
        for (int i = 0; i < 64; i++) {
            Experience e = experience(100 + i);
            l.observe(new Experience(
                    e.userId(), e.window(), e.action(), Float.NaN, e.nextWindow(), false, e.positives()));
        }
        assertThat(l.skippedSteps()).isPositive();
        assertThat(l.steps()).isEqualTo(steps + 64 - l.skippedSteps());
        // An infinite action poisons the critic's input.
        DrrLearner m = learner();
        for (int i = 0; i < 8; i++) {
            Experience e = experience(i);
            float[] a = e.action();
            a[0] = Float.POSITIVE_INFINITY;
            m.observe(new Experience(e.userId(), e.window(), a, e.reward(), e.nextWindow(), e.done(), e.positives()));
        }
        assertThat(m.skippedSteps()).isEqualTo(1);
        assertThat(m.steps()).isZero();
        assertThat(m.currentWeights()).isEqualTo(ActorWeights.seeded(ACTOR, CATALOG));
        // Once finite transitions have replaced the poisoned ones in the buffer (capacity 64), training resumes and
        // the learner publishes new, finite weights (ActorWeights rejects non-finite values).
        long skipped = l.skippedSteps();
        for (int i = 0; i < 64; i++) l.observe(experience(200 + i));
        assertThat(l.steps()).isGreaterThan(steps);
        assertThat(l.skippedSteps() - skipped).isLessThan(64);
        DrrLearner.Publication p = l.publish(1);
        assertThat(p).isNotNull();
        assertThat(p.full().tensor(ActorWeights.FC1_WEIGHT)).isNotEqualTo(before.tensor(ActorWeights.FC1_WEIGHT));
        assertThat(ActorWeightsCodec.decodeFull(ActorWeightsCodec.encode(p.full())))
                .isEqualTo(p.full());
        // A corrupted critic weight makes every later step non-finite: all skipped, the actor never moves.
        DrrLearner c = learner();
        for (int i = 0; i < 8; i++) c.observe(experience(i));
        ActorWeights actorBefore = c.currentWeights();
        c.poisonCritic(Float.NaN);
        long skippedBefore = c.skippedSteps();
        for (int i = 8; i < 20; i++) c.observe(experience(i));
        assertThat(c.skippedSteps() - skippedBefore).isEqualTo(12);
        assertThat(c.currentWeights()).isEqualTo(actorBefore);
    }

    @Test
    void publicationsAreVersionedFullThenDeltasThatReproduceTheWeights() {
        DrrLearner l = learner();
        ActorWeights serving = ActorWeights.seeded(ACTOR, CATALOG);
        assertThat(l.publish(3)).as("nothing changed yet").isNull();
        long lastVersion = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10; i++) l.observe(experience(round * 10 + i));
            DrrLearner.Publication p = l.publish(3);
            assertThat(p.version()).isEqualTo(lastVersion + 1);
            lastVersion = p.version();
            assertThat(p.isFull()).isEqualTo(round % 3 == 0);
            byte[] json = p.isFull() ? ActorWeightsCodec.encode(p.full()) : ActorWeightsCodec.encodeDelta(p.delta());
            serving = ActorWeightsCodec.applyTo(serving, json);
            assertThat(serving).isEqualTo(p.weights());
            assertThat(serving.version()).isEqualTo(lastVersion);
        }
        if (!Arrays.equals(new int[0], l.currentWeights().learnedUserIds())) {
            assertThat(serving.learnedUserIds()).isEqualTo(l.currentWeights().learnedUserIds());
        }
    }

    @Test
    void actionMatchesTheServingForwardPassOfThePublishedWeights() {
        DrrLearner l = learner();
        for (int i = 0; i < 20; i++) l.observe(experience(i));
        ActorWeights w = l.publish(1).full();
        float[] a = l.action(3, new int[] {5, 7});
        io.streamrec.state.RecommendationRequest req =
                new io.streamrec.state.RecommendationRequest("r", 3, 7, 5f, 0, new int[] {5, 7}, new int[] {5, 7});
        double[] ref = new io.streamrec.serving.LearnerReferenceBridge(w).action(req);
        for (int c = 0; c < a.length; c++)
            assertThat((double) a[c]).isCloseTo(ref[c], org.assertj.core.data.Offset.offset(1e-5));
    }

    /** The replay ratio is kept exactly in sync pacing: R samples per transition once warm, fractional credit carried. */
    @Test
    void syncPacingKeepsTheReplayRatio() {
        LearnerSettings ls = settings();
        ls.replayRatio = 3; // B = 8: 3 steps every 8 transitions
        try (DrrLearner l = new DrrLearner(ls, ActorWeights.seeded(ACTOR, CATALOG))) {
            for (int i = 0; i < 7 + 80; i++) l.observe(experience(i));
            // warm from the 8th transition: 80 transitions × 3 samples / 8 = 30 steps
            assertThat(l.steps()).isEqualTo(30);
            assertThat(l.droppedSteps()).isZero();
            assertThat(l.achievedReplayRatio()).isEqualTo(30.0 * 8 / 87);
        }
        ls.replayRatio = 24; // three steps per transition
        try (DrrLearner l = new DrrLearner(ls, ActorWeights.seeded(ACTOR, CATALOG))) {
            for (int i = 0; i < 7 + 10; i++) l.observe(experience(i));
            assertThat(l.steps()).isEqualTo(30);
        }
    }

    /** Live pacing: due steps the caller refuses are dropped and counted, never taken later. */
    @Test
    void refusedStepsAreDroppedAndCounted() {
        try (DrrLearner l = learner()) {
            for (int i = 0; i < 20; i++) l.observe(experience(i), i % 2 == 0);
            assertThat(l.steps() + l.droppedSteps()).isEqualTo(13);
            assertThat(l.droppedSteps()).isEqualTo(7);
        }
    }

    /**
     * The learner's native memory stays flat over a long run: after 5,000 steps with publications and snapshots
     * along the way it holds as many native arrays as after the first 100 (no per-step array survives its step).
     */
    @Test
    void nativeArraysStayFlatOverFiveThousandSteps() {
        try (DrrLearner l = learner()) {
            int i = 0;
            while (l.steps() < 100) l.observe(experience(i++));
            int arrays = l.liveArrays();
            while (l.steps() < 5_000) {
                l.observe(experience(i++ % 500));
                if (i % 1_000 == 0) {
                    l.publish(3);
                    l.snapshot();
                    l.action(3, new int[] {5, 7});
                }
            }
            assertThat(l.skippedSteps()).isZero();
            assertThat(l.liveArrays()).isEqualTo(arrays);
        }
    }

    /**
     * The critic diagnostic: with γ = 0 and a reward that is a function of the action alone (r = a₀), the critic's
     * fit is good with the served actions and collapses with another transition's action in their place.
     */
    @Test
    void criticRSquaredSeparatesWhatTheActionExplains() {
        LearnerSettings ls = settings();
        ls.gamma = 0;
        ls.criticLr = 3e-3f;
        ls.bufferCapacity = 512;
        try (DrrLearner l = new DrrLearner(ls, ActorWeights.seeded(ACTOR, CATALOG))) {
            for (int i = 0; i < 400; i++) {
                Experience e = experience(i);
                l.observe(new Experience(
                        e.userId(), e.window(), e.action(), e.action()[0], e.nextWindow(), e.done(), e.positives()));
            }
            double[] fit = l.criticRSquared(400);
            assertThat(fit[0]).as("R² with the served actions").isGreaterThan(0.5);
            assertThat(fit[1]).as("R² with other transitions' actions").isLessThan(0.1);
        }
    }
}
