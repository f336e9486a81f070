package io.streamrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.TestSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActorWeightsTest {
    private static final ActorSettings SMALL =
            TestSettings.actor().embeddingDim(4).hiddenDim(8).windowSize(3).build();
    private static final ItemCatalog CATALOG = ItemCatalog.range(20);

    @Test
    void seededIsDeterministicAndDependsOnTheSeed() {
        ActorWeights a = ActorWeights.seeded(SMALL, CATALOG);
        ActorWeights b = ActorWeights.seeded(SMALL, CATALOG);
        ActorWeights other = ActorWeights.seeded(SMALL.toBuilder().seed(43).build(), CATALOG);
        assertThat(a).isEqualTo(b);
        assertThat(a.version()).isZero();
        assertThat(other).isNotEqualTo(a);
        for (String name : new String[] {ActorWeights.FC1_WEIGHT, ActorWeights.FC2_WEIGHT, ActorWeights.FC3_WEIGHT}) {
            assertThat(other.tensor(name)).as(name).isNotEqualTo(a.tensor(name));
        }
        assertThat(other.itemMatrix()).isNotEqualTo(a.itemMatrix());
    }

    @Test
    void seededFollowsTheDocumentedInitialisation() {
        ActorWeights w = ActorWeights.seeded(TestSettings.actor().build(), ItemCatalog.range(300));
        int d = 100;
        int h = 256;
        assertThat(w.tensor(ActorWeights.POOL)).containsOnly(1f).hasSize(5);
        assertThat(w.tensor(ActorWeights.FC1_BIAS)).containsOnly(0f).hasSize(h);
        assertThat(w.tensor(ActorWeights.FC3_BIAS)).containsOnly(0f).hasSize(d);
        assertUniform(w.tensor(ActorWeights.FC1_WEIGHT), Math.sqrt(6.0 / (3 * d + h)));
        assertUniform(w.tensor(ActorWeights.FC2_WEIGHT), Math.sqrt(6.0 / (h + h)));
        assertUniform(w.tensor(ActorWeights.FC3_WEIGHT), Math.sqrt(6.0 / (h + d)));
        assertUniform(w.itemMatrix(), Math.sqrt(3.0 / d));
    }

    /** All within ±limit and spread over it (mean ~0, variance ~limit²/3). */
    private static void assertUniform(float[] v, double limit) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo((float) limit);
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        double variance = sq / v.length - mean * mean;
        assertThat(Math.abs(mean)).isLessThan(0.05 * limit);
        assertThat(variance).isBetween(0.9 * limit * limit / 3, 1.1 * limit * limit / 3);
    }

    @Test
    void unknownUsersStartAtZero() {
        ActorWeights w = ActorWeights.seeded(SMALL, CATALOG);
        assertThat(w.userRow(17)).containsExactly(0f, 0f, 0f, 0f);
        assertThat(w.userRow(17)).containsExactly(ActorWeights.coldStartUserRow(4));
        assertThat(w.hasLearnedUserRow(17)).isFalse();
        float[] dst = {9f, 9f, 9f, 9f, 9f, 9f};
        w.copyUserRow(17, dst, 1);
        assertThat(dst).containsExactly(9f, 0f, 0f, 0f, 0f, 9f);
    }

    @Test
    void itemRowsDoNotDependOnTheRestOfTheCatalogue() {
        ActorWeights small = ActorWeights.seeded(SMALL, ItemCatalog.range(5));
        ActorWeights large = ActorWeights.seeded(SMALL, CATALOG);
        float[] a = new float[4];
        float[] b = new float[4];
        small.copyItemRow(small.itemIndexOf(5), a, 0);
        large.copyItemRow(large.itemIndexOf(5), b, 0);
        assertThat(a).containsExactly(b);
    }

    @Test
    void learnedRowsOverrideColdStart() {
        ActorWeights base = ActorWeights.seeded(SMALL, CATALOG);
        float[] learned = {0.1f, 0.2f, 0.3f, 0.4f};
        ActorWeights next = base.apply(new ActorWeightsDelta(1, 0, 4, 8, 3, Map.of(), Map.of(), Map.of(5, learned)));
        assertThat(next.userRow(5)).containsExactly(learned);
        assertThat(next.hasLearnedUserRow(5)).isTrue();
        assertThat(next.userRow(6)).containsExactly(base.userRow(6));
        assertThat(next.learnedUserIds()).containsExactly(5);
    }

    @Test
    void deltaApplyChangesOnlyTheTouchedRowsAndTensors() {
        ActorWeights base = ActorWeights.seeded(SMALL, CATALOG);
        float[] item7 = {1, 2, 3, 4};
        float[] user3 = {-1, -2, -3, -4};
        float[] bias = {1, 1, 1, 1};
        ActorWeightsDelta delta = new ActorWeightsDelta(
                5, 0, 4, 8, 3, Map.of(ActorWeights.FC3_BIAS, bias), Map.of(7, item7), Map.of(3, user3));
        ActorWeights next = base.apply(delta);

        assertThat(next.version()).isEqualTo(5);
        assertThat(next.tensor(ActorWeights.FC3_BIAS)).containsExactly(bias);
        for (String name : ActorWeights.TENSOR_NAMES) {
            if (!name.equals(ActorWeights.FC3_BIAS))
                assertThat(next.tensor(name)).as(name).containsExactly(base.tensor(name));
        }
        float[] row = new float[4];
        float[] baseRow = new float[4];
        for (int i = 0; i < CATALOG.size(); i++) {
            next.copyItemRow(i, row, 0);
            base.copyItemRow(i, baseRow, 0);
            if (next.itemIdAt(i) == 7) assertThat(row).containsExactly(item7);
            else assertThat(row).as("item %d", next.itemIdAt(i)).containsExactly(baseRow);
        }
        assertThat(next.userRow(3)).containsExactly(user3);
        assertThat(next.userRow(4)).containsExactly(base.userRow(4));
        // the base is untouched (immutability)
        assertThat(base).isEqualTo(ActorWeights.seeded(SMALL, CATALOG));
    }

    @Test
    void betweenProducesTheSmallestDeltaAndRoundTrips() {
        ActorWeights base = ActorWeights.seeded(SMALL, CATALOG);
        float[] matrix = base.itemMatrix();
        matrix[2 * 4 + 1] += 0.5f; // item at index 2 (id 3)
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name : ActorWeights.TENSOR_NAMES) tensors.put(name, base.tensor(name));
        tensors.get(ActorWeights.POOL)[0] = 0.25f;
        ActorWeights target = new ActorWeights(
                9, base.seed(), 4, 8, 3, tensors, ids(CATALOG), matrix, Map.of(11, new float[] {1, 2, 3, 4}));

        ActorWeightsDelta delta = ActorWeightsDelta.between(base, target);
        assertThat(delta.tensorNames()).containsExactly(ActorWeights.POOL);
        assertThat(delta.itemIds()).containsExactly(3);
        assertThat(delta.userIds()).containsExactly(11);
        assertThat(base.apply(delta)).isEqualTo(target);
    }

    @Test
    void deltaOnTheWrongBaseIsRejected() {
        ActorWeights base = ActorWeights.seeded(SMALL, CATALOG).withVersion(3);
        ActorWeightsDelta delta = new ActorWeightsDelta(5, 4, 4, 8, 3, Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> base.apply(delta))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on top of v4")
                .hasMessageContaining("v3");
        ActorWeightsDelta unknownItem =
                new ActorWeightsDelta(4, 3, 4, 8, 3, Map.of(), Map.of(999, new float[4]), Map.of());
        assertThatThrownBy(() -> base.apply(unknownItem)).hasMessageContaining("item 999");
    }

    @Test
    void constructionRejectsNonFiniteValuesAndWrongShapes() {
        ActorWeights ok = ActorWeights.seeded(SMALL, CATALOG);

        Map<String, float[]> nan = tensors(ok);
        nan.get(ActorWeights.FC2_WEIGHT)[17] = Float.NaN;
        assertThatThrownBy(() -> rebuild(ok, nan, ok.itemMatrix(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mlp.fc2.weight")
                .hasMessageContaining("non-finite")
                .hasMessageContaining("index 17");

        float[] infItems = ok.itemMatrix();
        infItems[3] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> rebuild(ok, tensors(ok), infItems, Map.of())).hasMessageContaining("item matrix");

        assertThatThrownBy(() -> rebuild(ok, tensors(ok), ok.itemMatrix(), Map.of(1, new float[] {1, Float.NaN, 0, 0})))
                .hasMessageContaining("user row 1");

        Map<String, float[]> shortBias = tensors(ok);
        shortBias.put(ActorWeights.FC1_BIAS, new float[7]);
        assertThatThrownBy(() -> rebuild(ok, shortBias, ok.itemMatrix(), Map.of()))
                .hasMessageContaining("mlp.fc1.bias")
                .hasMessageContaining("expected 8");

        Map<String, float[]> missing = tensors(ok);
        missing.remove(ActorWeights.POOL);
        assertThatThrownBy(() -> rebuild(ok, missing, ok.itemMatrix(), Map.of()))
                .hasMessageContaining("state.pool");

        assertThatThrownBy(() -> rebuild(ok, tensors(ok), Arrays.copyOf(ok.itemMatrix(), 79), Map.of()))
                .hasMessageContaining("item matrix has 79 values, expected 80");

        assertThatThrownBy(() -> rebuild(ok, tensors(ok), ok.itemMatrix(), Map.of(1, new float[3])))
                .hasMessageContaining("user row 1 has 3 values");

        int[] unsorted = ids(CATALOG);
        unsorted[4] = 2;
        assertThatThrownBy(() -> new ActorWeights(0, 42, 4, 8, 3, tensors(ok), unsorted, ok.itemMatrix(), Map.of()))
                .hasMessageContaining("ascending");

        assertThatThrownBy(
                        () -> new ActorWeightsDelta(2, 1, 4, 8, 3, Map.of("mlp.fc9.weight", new float[1]), null, null))
                .hasMessageContaining("unknown tensor 'mlp.fc9.weight'");
    }

    @Test
    void alignmentWithTheCatalogueIsChecked() {
        ActorWeights w = ActorWeights.seeded(SMALL, CATALOG);
        w.requireAlignedWith(CATALOG);
        assertThatThrownBy(() -> w.requireAlignedWith(ItemCatalog.range(21))).hasMessageContaining("20 item rows");
    }

    static int[] ids(ItemCatalog catalog) {
        int[] ids = new int[catalog.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = catalog.itemIdAt(i);
        return ids;
    }

    private static Map<String, float[]> tensors(ActorWeights w) {
        Map<String, float[]> t = new HashMap<>();
        for (String name : ActorWeights.TENSOR_NAMES) t.put(name, w.tensor(name));
        return t;
    }

    private static ActorWeights rebuild(
            ActorWeights w, Map<String, float[]> tensors, float[] items, Map<Integer, float[]> users) {
        return new ActorWeights(
                w.version(),
                w.seed(),
                w.embeddingDim(),
                w.hiddenDim(),
                w.windowSize(),
                tensors,
                ids(CATALOG),
                items,
                users);
    }
}
