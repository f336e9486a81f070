package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.Rng;
import io.streamrec.model.StateRepresentation;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.TestSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The learner's DRR-p / DRR-u state: training, publication, and agreement with serving (gradients: GradientCheckTest). */
class DrrLearnerStateRepresentationTest {
    private static final int D = 4;
    private static final int N = 3;
    private static final ItemCatalog CATALOG = ItemCatalog.range(12);

    private static ActorSettings actor(StateRepresentation rep) {
        return TestSettings.actor()
                .embeddingDim(D)
                .hiddenDim(8)
                .windowSize(N)
                .k(3)
                .seed(5)
                .stateRepresentation(rep)
                .build();
    }

    private static DrrLearner learner(StateRepresentation rep) {
        LearnerSettings ls = DrrLearnerTest.settings();
        return new DrrLearner(ls, ActorWeights.seeded(actor(rep), CATALOG));
    }

    /** Experiences over users 1..6 and items 1..12 with D-dimensional actions. */
    private static Experience experience(int i) {
        Rng r = new Rng(500 + i);
        int[] w = {1 + r.nextInt(12), 1 + r.nextInt(12), 1 + r.nextInt(12)};
        int[] next = {w[1], w[2], 1 + r.nextInt(12)};
        float[] a = new float[D];
        for (int c = 0; c < D; c++) a[c] = (float) (r.nextDouble() * 2 - 1);
        return new Experience(
                1 + r.nextInt(6), w, a, (float) (r.nextDouble() * 2 - 1), next, false, new int[] {1 + r.nextInt(12)});
    }

    /** Training runs (finite, no skipped steps) and the published weights carry the variant and its fc1 shape. */
    @ParameterizedTest
    @EnumSource(
            value = StateRepresentation.class,
            names = {"P", "U"})
    void trainsAndPublishesWeightsOfTheVariant(StateRepresentation rep) {
        DrrLearner l = new DrrLearner(
                DrrLearnerTest.settings(),
                ActorWeights.seeded(
                        DrrLearnerTest.ACTOR.toBuilder()
                                .stateRepresentation(rep)
                                .build(),
                        DrrLearnerTest.CATALOG));
        ActorWeights before = l.currentWeights();
        for (int i = 0; i < 40; i++) l.observe(DrrLearnerTest.experience(i));
        assertThat(l.steps()).isPositive();
        assertThat(l.skippedSteps()).isZero();
        assertThat(l.lastStep().criticLoss()).isFinite();
        ActorWeights published = l.publish(1).full();
        assertThat(published.stateRepresentation()).isEqualTo(rep);
        assertThat(published.tensorShape(ActorWeights.FC1_WEIGHT)).containsExactly(16, rep.stateDim(8, 3));
        assertThat(published.tensor(ActorWeights.POOL)).isNotEqualTo(before.tensor(ActorWeights.POOL));
        assertThat(published.learnedUserIds().length > 0).isEqualTo(rep == StateRepresentation.U);
        // The codec round-trips the variant.
        assertThat(ActorWeightsCodec.decodeFull(ActorWeightsCodec.encode(published)))
                .isEqualTo(published);
    }

    /** The DJL serving block over the learner's published weights computes the learner's action and scores. */
    @ParameterizedTest
    @EnumSource(StateRepresentation.class)
    void servingForwardEqualsTheLearnersActor(StateRepresentation rep) {
        DrrLearner l = learner(rep);
        for (int i = 0; i < 30; i++) l.observe(experience(i));
        ActorWeights w = l.publish(1).full();
        int[][] windows = {{3, 7, 9}, {5, 2}, {}, {4, 999, 8}};
        int[] users = {2, 3, 4, 77};
        try (NDManager manager = NDManager.newBaseManager()) {
            DrrActorBlock block = DrrActorBlock.shapedLike(w);
            assertThat(block.stateRepresentation()).isEqualTo(rep);
            block.initialize(manager, w);
            int b = windows.length;
            float[] u = new float[b * D];
            float[] items = new float[b * N * D];
            float[] mask = new float[b * N];
            for (int r = 0; r < b; r++) {
                System.arraycopy(w.userRow(users[r]), 0, u, r * D, D);
                int len = Math.min(N, windows[r].length);
                for (int j = 0; j < len; j++) {
                    int slot = N - len + j;
                    int index = w.itemIndexOf(windows[r][windows[r].length - len + j]);
                    if (index < 0) continue;
                    w.copyItemRow(index, items, (r * N + slot) * D);
                    mask[r * N + slot] = 1;
                }
            }
            NDList out = block.forward(
                    new ParameterStore(manager, false),
                    new NDList(
                            manager.create(u, new Shape(b, D)),
                            manager.create(items, new Shape(b, N, D)),
                            manager.create(mask, new Shape(b, N))),
                    false);
            float[] actions = out.get(0).toFloatArray();
            float[] scores = out.get(1).toFloatArray();
            int itemCount = CATALOG.size();
            for (int r = 0; r < b; r++) {
                float[] a = l.action(users[r], windows[r]);
                float[] s = l.scores(a);
                for (int c = 0; c < D; c++) {
                    assertThat(actions[r * D + c])
                            .as("action %d,%d %s", r, c, rep)
                            .isCloseTo(a[c], within(1e-5f));
                }
                for (int i = 0; i < itemCount; i++) {
                    assertThat(scores[r * itemCount + i])
                            .as("score %d,%d %s", r, i, rep)
                            .isCloseTo(s[i], within(1e-5f));
                }
            }
        }
    }
}
