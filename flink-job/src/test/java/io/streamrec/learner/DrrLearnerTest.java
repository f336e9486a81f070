package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.actor.ActorSettings;
import io.streamrec.actor.ActorWeights;
import io.streamrec.actor.ActorWeightsCodec;
import io.streamrec.catalog.ItemCatalog;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DrrLearnerTest {
    static final ActorSettings ACTOR = ActorSettings.builder().embeddingDim(8).hiddenDim(16).windowSize(3).k(4).seed(9).build();
    static final ItemCatalog CATALOG = ItemCatalog.range(40);

    static LearnerSettings settings() {
        LearnerSettings ls = new LearnerSettings();
        ls.batchSize = 8;
        ls.warmup = 8;
        ls.criticHiddenDim = 16;
        ls.bufferCapacity = 64;
        ls.seed = 17;
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
        return new Experience(user, w, a, (float) (r.nextDouble() * 2 - 1), next, r.nextInt(10) == 0,
                new int[] {1 + r.nextInt(40)});
    }

    @Test
    void trainsEveryMTransitionsOnceWarmAndChangesTheActor() {
        DrrLearner l = learner();
        ActorWeights before = l.currentWeights();
        for (int i = 0; i < 7; i++) assertThat(l.observe(experience(i)).trained()).isFalse();
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

    /** Test (c): a restored learner is bit-identical and continues exactly as the original would. */
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
            l.observe(new Experience(e.userId(), e.window(), e.action(), Float.NaN, e.nextWindow(), false,
                    e.positives()));
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
        // Whatever happened, a publication is finite (ActorWeights rejects non-finite values) or absent.
        DrrLearner.Publication p = l.publish(1);
        if (p != null) assertThat(ActorWeightsCodec.decodeFull(ActorWeightsCodec.encode(p.full()))).isEqualTo(p.full());
        assertThat(before).isNotNull();
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
        io.streamrec.state.RecommendationRequest req = new io.streamrec.state.RecommendationRequest("r", 3, 7, 5f, 0,
                new int[] {5, 7}, new int[] {5, 7});
        double[] ref = new io.streamrec.actor.LearnerReferenceBridge(w).action(req);
        for (int c = 0; c < a.length; c++) assertThat((double) a[c]).isCloseTo(ref[c], org.assertj.core.data.Offset.offset(1e-5));
    }
}
