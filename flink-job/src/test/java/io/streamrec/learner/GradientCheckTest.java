package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.Rng;
import io.streamrec.model.StateRepresentation;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.TestSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss the learner optimises, checked against an independent oracle ({@link ReferenceStep}: the formulas in
 * plain Java, double precision): the step's losses and TD errors equal the oracle's, and every gradient autograd
 * computes — actor, critics, pooling weights, user and item rows — equals the oracle's central differences, for every
 * state representation and each loss configuration.
 *
 * <p>Tolerance: the learner runs in float32 (DJL's PyTorch engine), the oracle in float64 with central differences
 * at ε = 1e-6 (truncation error ~ε², rounding ~1e-16/ε). What separates the two is float32 rounding, relative ~1e-7
 * per operation over some tens of operations. Measured over all cases, the largest difference is 7.5e-7 of a tensor's
 * largest gradient; the check allows 1e-4 of it (plus 1e-7 absolute, for tensors whose gradient is zero), far below
 * what a wrong sign, a missing term or a missing detach produces. Breaking the critic target's sign, the actor term's
 * detach or the supervised term's discount each fails this test (closing note of issue 31).
 */
class GradientCheckTest {
    private static final int D = 4;
    private static final int N = 3;
    private static final int ITEMS = 12;
    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE = 1e-7;

    /** The loss configurations: together they cover every term, target option and detach of the step. */
    enum Losses {
        /** TD3 (twin critics, target smoothing), TD3+BC-normalised Q term, full-catalogue softmax, critic trains the state. */
        TD3_SOFTMAX,
        /** DDPG's raw Q term, one critic, logistic supervised term, the state detached from the critic, targets clipped. */
        DDPG_LOGISTIC_CLIPPED,
        /** The pure actor-critic: no supervised term; the critic with its bilinear term. */
        PURE_ACTOR_CRITIC,
        /** Supervised term only (no Q term), a sampled softmax over several discounted positives. */
        SAMPLED_SOFTMAX,
        /**
         * The item critic as a pure actor-critic on full feedback, with the bilinear term: twin critics, target
         * smoothing, TD3+BC-normalised, targets bounded.
         */
        ITEM_CRITIC,
        /**
         * The item critic on the served slates only, beside the supervised term: one critic on detached state and
         * items, the raw Q term.
         */
        ITEM_CRITIC_DETACHED
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (StateRepresentation rep : StateRepresentation.values()) {
            for (Losses losses : Losses.values()) all.add(Arguments.of(rep, losses));
        }
        return all.stream();
    }

    static LearnerSettings settings(Losses losses) {
        LearnerSettings ls = TestSettings.learner();
        ls.batchSize = 8;
        ls.warmup = 8;
        ls.bufferCapacity = 256;
        ls.criticHiddenDim = 5;
        ls.replayRatio = 8;
        ls.seed = 31;
        // Large learning rates: after a few steps the target networks differ clearly from the live ones, so a target
        // read from the live networks (or the reverse) shows in the losses.
        ls.actorLr = 1e-2f;
        ls.criticLr = 1e-2f;
        ls.embeddingLr = 1e-2f;
        ls.tau = 0.05f;
        ls.policyDelay = 1;
        ls.auxDiscount = 0.5f;
        ls.auxPositives = 0;
        switch (losses) {
            case TD3_SOFTMAX -> {
                ls.twinCritics = true;
                ls.targetNoise = 0.2f;
                ls.qWeight = 2.5f;
                ls.auxWeight = 1f;
                ls.auxLoss = LearnerSettings.AuxLoss.SOFTMAX;
                ls.auxNegatives = 0;
                ls.criticTrainsState = true;
                ls.boundedTargets = true;
            }
            case DDPG_LOGISTIC_CLIPPED -> {
                ls.twinCritics = false;
                ls.targetNoise = 0f;
                ls.qWeight = -1f;
                ls.auxWeight = 0.5f;
                ls.auxLoss = LearnerSettings.AuxLoss.LOGISTIC;
                ls.auxNegatives = 2;
                ls.criticTrainsState = false;
                ls.boundedTargets = true;
            }
            case PURE_ACTOR_CRITIC -> {
                ls.criticMatch = true;
                ls.twinCritics = true;
                ls.targetNoise = 0.1f;
                ls.qWeight = 1f;
                ls.auxWeight = 0f;
                ls.criticTrainsState = true;
                ls.boundedTargets = false;
            }
            case ITEM_CRITIC -> {
                ls.itemCritic = true;
                ls.criticCandidates = 5;
                ls.criticFullFeedback = true;
                ls.criticMatch = true;
                ls.twinCritics = true;
                ls.targetNoise = 0.1f;
                ls.qWeight = 2.5f;
                ls.auxWeight = 0f;
                ls.criticTrainsState = true;
                ls.boundedTargets = true;
            }
            case ITEM_CRITIC_DETACHED -> {
                ls.itemCritic = true;
                ls.criticCandidates = 4;
                ls.twinCritics = false;
                ls.targetNoise = 0f;
                ls.qWeight = -1f;
                ls.auxWeight = 1f;
                ls.auxLoss = LearnerSettings.AuxLoss.SOFTMAX;
                ls.auxNegatives = 0;
                ls.criticTrainsState = false;
                ls.boundedTargets = false;
            }
            case SAMPLED_SOFTMAX -> {
                ls.twinCritics = false;
                ls.targetNoise = 0f;
                ls.qWeight = 0f;
                ls.auxWeight = 1f;
                ls.auxLoss = LearnerSettings.AuxLoss.SOFTMAX;
                ls.auxNegatives = 5;
                ls.criticTrainsState = true;
                ls.boundedTargets = true;
            }
        }
        return ls;
    }

    static DrrLearner learner(StateRepresentation rep, LearnerSettings ls) {
        ActorSettings actor = TestSettings.actor()
                .embeddingDim(D)
                .hiddenDim(6)
                .windowSize(N)
                .k(3)
                .seed(5)
                .stateRepresentation(rep)
                .build();
        return new DrrLearner(ls, ActorWeights.seeded(actor, ItemCatalog.range(ITEMS)));
    }

    /**
     * Users 1..6, windows of 0..3 items over items 1..12 (some unknown), up to three positives, some episode ends, a
     * slate of 1..4 items (some positives, some unknown).
     */
    static Experience experience(int i) {
        Rng r = new Rng(700 + i);
        int len = r.nextInt(N + 1);
        int[] w = new int[len];
        for (int j = 0; j < len; j++) w[j] = r.nextInt(10) == 0 ? 999 : 1 + r.nextInt(ITEMS);
        int[] next = new int[Math.min(N, len + 1)];
        for (int j = 0; j < next.length; j++) next[j] = 1 + r.nextInt(ITEMS);
        float[] a = new float[D];
        for (int c = 0; c < D; c++) a[c] = (float) (r.nextDouble() * 2 - 1);
        int[] positives = new int[1 + r.nextInt(3)];
        for (int j = 0; j < positives.length; j++) positives[j] = 1 + r.nextInt(ITEMS);
        int[] slate = new int[1 + r.nextInt(4)];
        for (int j = 0; j < slate.length; j++) {
            slate[j] = r.nextInt(3) == 0 ? positives[0] : r.nextInt(12) == 0 ? 999 : 1 + r.nextInt(ITEMS);
        }
        return new Experience(
                1 + r.nextInt(6), w, a, (float) (r.nextDouble() * 2 - 1), next, r.nextInt(8) == 0, positives, slate);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void autogradEqualsTheReferenceLossesAndTheirFiniteDifferences(StateRepresentation rep, Losses losses) {
        LearnerSettings ls = settings(losses);
        try (DrrLearner l = learner(rep, ls)) {
            for (int i = 0; i < 40; i++) l.observe(experience(i));
            assertThat(l.steps()).as("trained before the check").isGreaterThan(20);
            assertThat(l.skippedSteps()).isZero();
            // A reward range so narrow that the bounded targets clip, for the configuration that checks clipping.
            boolean clip = losses == Losses.DDPG_LOGISTIC_CLIPPED;
            float rewardMin = clip ? 0f : -1f;
            float rewardMax = clip ? 0.01f : 1f;
            DrrLearner.GradientProbe probe = l.probe(rewardMin, rewardMax);
            ReferenceStep ref = new ReferenceStep(
                    ls,
                    rep,
                    D,
                    N,
                    probe.batch(),
                    probe.steps(),
                    rewardMin,
                    rewardMax,
                    liveValues(l, ls),
                    targetValues(l, ls));
            ReferenceStep.Losses expected = ref.losses();
            float[] stats = probe.stats();
            assertClose("critic loss", stats[0], expected.critic());
            assertClose("actor loss", stats[1], expected.actor());
            assertClose("supervised loss", stats[2], expected.aux());
            for (int i = 0; i < expected.td().length; i++) {
                assertClose("TD error " + i, stats[StepGraph.TD + i], expected.td()[i]);
            }
            // The configuration exercises what it claims.
            assertThat(stats[0]).as("critic loss").isPositive();
            assertThat(stats[1] != 0).as("Q term present").isEqualTo(ls.qWeight != 0);
            assertThat(stats[2] != 0).as("supervised term present").isEqualTo(ls.auxWeight > 0);
            if (ls.itemCritic) {
                // Rewarded and unrewarded slots both present; full feedback adds slots beyond the longest slate (4).
                TrainingBatch b = probe.batch();
                float rewarded = 0, present = 0;
                for (int j = 0; j < b.slateMask.length; j++) {
                    present += b.slateMask[j];
                    rewarded += b.slateMask[j] * b.slateRewards[j];
                }
                assertThat(rewarded).as("rewarded slots").isPositive().isLessThan(present);
                assertThat(b.slateItems.length / b.users.length > 4).isEqualTo(ls.criticFullFeedback);
            }
            if (clip) {
                double upper = rewardMax / (1.0 - ls.gamma);
                long clipped = java.util.Arrays.stream(ref.targets())
                        .filter(y -> y == 0 || Math.abs(y - upper) < 1e-9)
                        .count();
                assertThat(clipped).as("targets clipped").isPositive();
            }

            Map<String, float[]> autograd = probe.gradients();
            assertThat(autograd.keySet()).containsAll(liveValues(l, ls).keySet());
            TrainingBatch batch = probe.batch();
            for (Map.Entry<String, float[]> e : autograd.entrySet()) {
                String name = e.getKey();
                int[] coordinates = coordinates(name, batch, e.getValue().length);
                double[] numeric = ref.numericGradient(name, coordinates, 1e-6);
                assertGradient(rep + " " + losses + " " + name, e.getValue(), numeric);
            }
        }
    }

    /** The oracle's forward (state and action) equals the learner's for each representation, after training. */
    @ParameterizedTest
    @EnumSource(StateRepresentation.class)
    void referenceForwardEqualsTheLearnersAction(StateRepresentation rep) {
        LearnerSettings ls = settings(Losses.TD3_SOFTMAX);
        try (DrrLearner l = learner(rep, ls)) {
            for (int i = 0; i < 30; i++) l.observe(experience(i));
            ActorWeights w = l.currentWeights();
            Map<String, double[]> params = new LinkedHashMap<>();
            for (String name : actorNames()) params.put(name, ReferenceStep.toDouble(w.tensor(name)));
            int[][] windows = {{3, 7, 9}, {5, 2}, {}, {4, 999, 8}, {1, 2, 3, 4, 5}};
            int[] users = {2, 3, 4, 5, 1};
            for (int r = 0; r < windows.length; r++) {
                double[][] e = new double[N][];
                int len = Math.min(N, windows[r].length);
                for (int j = 0; j < len; j++) {
                    int index = w.itemIndexOf(windows[r][windows[r].length - len + j]);
                    if (index < 0) continue;
                    float[] row = new float[D];
                    w.copyItemRow(index, row, 0);
                    e[N - len + j] = ReferenceStep.toDouble(row);
                }
                double[] u = ReferenceStep.toDouble(w.userRow(users[r]));
                double[] state = ReferenceStep.state(rep, params.get(ActorWeights.POOL), u, e);
                double[] action = ReferenceStep.actor(rep, params, state);
                float[] learnerState = l.stateOf(users[r], windows[r]);
                float[] learnerAction = l.action(users[r], windows[r]);
                assertThat(learnerState).hasSize(state.length);
                for (int c = 0; c < state.length; c++) {
                    assertThat((double) learnerState[c]).as("state %d,%d", r, c).isCloseTo(state[c], within(1e-5));
                }
                for (int c = 0; c < D; c++) {
                    assertThat((double) learnerAction[c])
                            .as("action %d,%d", r, c)
                            .isCloseTo(action[c], within(1e-5));
                }
            }
        }
    }

    /** The check can fail: a gradient with one wrong entry, or scaled by 1.01, is rejected. */
    @Test
    void theComparisonRejectsASmallError() {
        float[] autograd = {0.5f, -0.25f, 0.125f, 0f};
        double[] numeric = {0.5, -0.25, 0.125, 0};
        assertGradient("same", autograd, numeric);
        float[] oneWrong = autograd.clone();
        oneWrong[2] = -0.125f;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertGradient("sign", oneWrong, numeric))
                .isInstanceOf(AssertionError.class);
        float[] scaled = {0.505f, -0.2525f, 0.12625f, 0f};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertGradient("scale", scaled, numeric))
                .isInstanceOf(AssertionError.class);
    }

    /** Every entry within {@link #RELATIVE} of the tensor's largest gradient (plus {@link #ABSOLUTE}). */
    static void assertGradient(String what, float[] autograd, double[] numeric) {
        assertThat(autograd).as(what).hasSize(numeric.length);
        double scale = 0;
        for (double g : numeric) scale = Math.max(scale, Math.abs(g));
        double tolerance = RELATIVE * scale + ABSOLUTE;
        for (int k = 0; k < numeric.length; k++) {
            assertThat((double) autograd[k])
                    .as("%s[%d] (largest |gradient| %.3g)", what, k, scale)
                    .isCloseTo(numeric[k], within(tolerance));
        }
    }

    private static void assertClose(String what, float actual, double expected) {
        assertThat((double) actual).as(what).isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
    }

    /** The oracle's coordinates of a gradient: the touched rows of a table, every entry of any other tensor. */
    private static int[] coordinates(String name, TrainingBatch batch, int length) {
        long[] rows = name.equals(UserTable.NAME)
                ? batch.touchedUsers
                : name.equals(DrrActorBlock.ITEM_EMBEDDINGS) ? batch.touchedItems : null;
        int[] out = new int[length];
        for (int k = 0; k < length; k++) out[k] = rows == null ? k : (int) rows[k / D] * D + k % D;
        return out;
    }

    private static List<String> criticNames(LearnerSettings ls) {
        List<String> names = new ArrayList<>(
                new CriticBlock(1, ls.criticMatch ? D : 0).namedParameters().keySet());
        if (ls.twinCritics) {
            for (String name : List.copyOf(names)) names.add(ReferenceStep.TWIN + name);
        }
        return names;
    }

    private static Map<String, float[]> liveValues(DrrLearner l, LearnerSettings ls) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : actorNames()) values.put(name, l.tensor(name));
        for (String name : criticNames(ls)) values.put(name, l.tensor(name));
        values.put(DrrActorBlock.ITEM_EMBEDDINGS, l.tensor(DrrActorBlock.ITEM_EMBEDDINGS));
        values.put(UserTable.NAME, l.tensor(UserTable.NAME));
        return values;
    }

    private static Map<String, float[]> targetValues(DrrLearner l, LearnerSettings ls) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : actorNames()) {
            if (!name.equals(ActorWeights.POOL)) values.put(name, l.targetTensor(name));
        }
        for (String name : criticNames(ls)) values.put(name, l.targetTensor(name));
        return values;
    }

    private static List<String> actorNames() {
        return List.of(
                ActorWeights.POOL,
                ActorWeights.FC1_WEIGHT,
                ActorWeights.FC1_BIAS,
                ActorWeights.FC2_WEIGHT,
                ActorWeights.FC2_BIAS,
                ActorWeights.FC3_WEIGHT,
                ActorWeights.FC3_BIAS);
    }
}
