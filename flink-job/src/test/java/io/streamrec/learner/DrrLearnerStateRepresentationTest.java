package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.streamrec.actor.ActorSettings;
import io.streamrec.actor.ActorWeights;
import io.streamrec.actor.ActorWeightsCodec;
import io.streamrec.actor.DrrActorBlock;
import io.streamrec.actor.StateRepresentation;
import io.streamrec.catalog.ItemCatalog;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The learner's DRR-p / DRR-u state: gradients (finite differences), training, and agreement with serving. */
class DrrLearnerStateRepresentationTest {
    private static final int D = 4;
    private static final int N = 3;
    private static final ItemCatalog CATALOG = ItemCatalog.range(12);

    private static ActorSettings actor(StateRepresentation rep) {
        return ActorSettings.builder().embeddingDim(D).hiddenDim(8).windowSize(N).k(3).seed(5)
                .stateRepresentation(rep).build();
    }

    private static DrrLearner learner(StateRepresentation rep) {
        LearnerSettings ls = DrrLearnerTest.settings();
        return new DrrLearner(ls, ActorWeights.seeded(actor(rep), CATALOG));
    }

    /**
     * loss = Σ c·s(params) for fixed random c: the analytic gradient into the position weights, the user row and
     * every item row of the window matches central finite differences. Windows: full, short (right-aligned), with an
     * unknown item, and with a repeated item (whose row then gets the sum of both slots' gradients).
     */
    @ParameterizedTest
    @EnumSource(StateRepresentation.class)
    void stateGradientsMatchFiniteDifferences(StateRepresentation rep) {
        int[][] windows = {{3, 7, 9}, {5, 2}, {4, 999, 8}, {6, 6, 1}};
        for (int[] window : windows) {
            DrrLearner l = learner(rep);
            SplittableRandom rnd = new SplittableRandom(window.length * 31L + window[0]);
            // Non-trivial position weights, so their gradients are not all equal.
            float[] pool = l.poolRef();
            for (int i = 0; i < pool.length; i++) pool[i] = (float) rnd.nextDouble(-1.5, 1.5);
            int user = 2;
            l.userRowRef(user);
            int sd = rep.stateDim(D, N);
            float[] c = new float[sd];
            for (int i = 0; i < sd; i++) c[i] = (float) rnd.nextDouble(-1, 1);
            assertThat(l.stateOf(user, window)).hasSize(sd);

            DrrLearner.StateGradient g = l.stateGradient(user, window, c);
            for (int i = 0; i < N; i++) {
                checkPartial(l, user, window, c, l.poolRef(), i, g.pool()[i], "pool[" + i + "] " + rep);
            }
            for (int j = 0; j < D; j++) {
                checkPartial(l, user, window, c, l.userRowRef(user), j, g.user()[j], "user[" + j + "] " + rep);
            }
            for (int itemId : window) {
                int index = itemId - 1; // ItemCatalog.range(12): ids 1..12 at indices 0..11
                if (index >= CATALOG.size()) continue;
                float[] analytic = g.items().getOrDefault(index, new float[D]);
                for (int j = 0; j < D; j++) {
                    checkPartial(l, user, window, c, l.itemMatrixRef(), index * D + j, analytic[j],
                            "item " + itemId + "[" + j + "] " + rep);
                }
            }
        }
    }

    private static void checkPartial(DrrLearner l, int user, int[] window, float[] c, float[] param, int at,
                                     float analytic, String what) {
        float eps = 1e-2f;
        float saved = param[at];
        param[at] = saved + eps;
        double plus = dot(c, l.stateOf(user, window));
        param[at] = saved - eps;
        double minus = dot(c, l.stateOf(user, window));
        param[at] = saved;
        double numeric = (plus - minus) / (2 * eps);
        assertThat((double) analytic).as(what).isCloseTo(numeric, within(2e-3 * Math.max(1, Math.abs(numeric))));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    /** Experiences over users 1..6 and items 1..12 with D-dimensional actions. */
    private static Experience experience(int i) {
        Rng r = new Rng(500 + i);
        int[] w = {1 + r.nextInt(12), 1 + r.nextInt(12), 1 + r.nextInt(12)};
        int[] next = {w[1], w[2], 1 + r.nextInt(12)};
        float[] a = new float[D];
        for (int c = 0; c < D; c++) a[c] = (float) (r.nextDouble() * 2 - 1);
        return new Experience(1 + r.nextInt(6), w, a, (float) (r.nextDouble() * 2 - 1), next, false,
                new int[] {1 + r.nextInt(12)});
    }

    /** Training runs (finite, no skipped steps) and the published weights carry the variant and its fc1 shape. */
    @ParameterizedTest
    @EnumSource(value = StateRepresentation.class, names = {"P", "U"})
    void trainsAndPublishesWeightsOfTheVariant(StateRepresentation rep) {
        DrrLearner l = new DrrLearner(DrrLearnerTest.settings(), ActorWeights.seeded(
                DrrLearnerTest.ACTOR.toBuilder().stateRepresentation(rep).build(), DrrLearnerTest.CATALOG));
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
        assertThat(ActorWeightsCodec.decodeFull(ActorWeightsCodec.encode(published))).isEqualTo(published);
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
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(
                    manager.create(u, new Shape(b, D)), manager.create(items, new Shape(b, N, D)),
                    manager.create(mask, new Shape(b, N))), false);
            float[] actions = out.get(0).toFloatArray();
            float[] scores = out.get(1).toFloatArray();
            int itemCount = CATALOG.size();
            for (int r = 0; r < b; r++) {
                float[] a = l.action(users[r], windows[r]);
                float[] s = l.scores(a);
                for (int c = 0; c < D; c++) {
                    assertThat(actions[r * D + c]).as("action %d,%d %s", r, c, rep).isCloseTo(a[c], within(1e-5f));
                }
                for (int i = 0; i < itemCount; i++) {
                    assertThat(scores[r * itemCount + i]).as("score %d,%d %s", r, i, rep).isCloseTo(s[i], within(1e-5f));
                }
            }
        }
    }
}
