package io.streamrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** DRR-p and DRR-u blocks against hand-computed states (d=2, N=3, position weights (0.5, 2, -1)). */
class PairwiseStateBlockTest {
    private static final float G = 100f; // garbage in masked slots: must not leak into the output

    // row 0: short window (2 of 3, right-aligned): e = 0, (1,0), (3,4); user (1,2)
    // row 1: full window: e = (1,1), (2,0), (0,2); user (1,1)
    // row 2: empty window; user (3,-1)
    private static final float[] USERS = {1, 2, 1, 1, 3, -1};
    private static final float[] ITEMS = {G, G, 1, 0, 3, 4, 1, 1, 2, 0, 0, 2, G, G, G, G, G, G};
    private static final float[] MASK = {
        0, 1, 1,
        1, 1, 1,
        0, 0, 0
    };

    @Test
    void drrPConcatenatesTheItemsAndTheirWeightedPairwiseProducts() {
        // w·e: row 0 → 0, (2,0), (-3,-4); row 1 → (0.5,0.5), (4,0), (0,-2).
        // s = [e_1, e_2, e_3, w1e1⊙w2e2, w1e1⊙w3e3, w2e2⊙w3e3]
        float[] expected = {
            0, 0, 1, 0, 3, 4, 0, 0, 0, 0, -6, 0,
            1, 1, 2, 0, 0, 2, 2, 0, 0, -1, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        };
        check(new DrrPStateBlock(2, 3), expected);
    }

    @Test
    void drrUConcatenatesUserItemAndWeightedPairwiseProducts() {
        // s = [u⊙w1e1, u⊙w2e2, u⊙w3e3, w1e1⊙w2e2, w1e1⊙w3e3, w2e2⊙w3e3]
        // row 0: u=(1,2): 0, (2,0), (-3,-8); row 1: u=(1,1): (0.5,0.5), (4,0), (0,-2).
        float[] expected = {
            0, 0, 2, 0, -3, -8, 0, 0, 0, 0, -6, 0, 0.5f, 0.5f, 4, 0, 0, -2, 2, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0
        };
        check(new DrrUStateBlock(2, 3), expected);
    }

    @Test
    void aWindowOfOneHasNoPairs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DrrPStateBlock block = new DrrPStateBlock(2, 1);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 1, 2), new Shape(1, 1));
            NDArray s = block.forward(
                            new ParameterStore(manager, false),
                            new NDList(
                                    manager.create(new float[] {1, 2}, new Shape(1, 2)),
                                    manager.create(new float[] {3, 4}, new Shape(1, 1, 2)),
                                    manager.create(new float[] {1}, new Shape(1, 1))),
                            false)
                    .singletonOrThrow();
            assertThat(s.toFloatArray()).containsExactly(3, 4);
            assertThat(StateRepresentation.P.stateDim(2, 1)).isEqualTo(2);
        }
    }

    private static void check(PairwiseStateBlock block, float[] expected) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.poolWeights().setInitializer((m, shape, type) -> m.create(new float[] {0.5f, 2f, -1f}, shape));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3, 2), new Shape(1, 3));
            NDArray s = block.forward(
                            new ParameterStore(manager, false),
                            new NDList(
                                    manager.create(USERS, new Shape(3, 2)),
                                    manager.create(ITEMS, new Shape(3, 3, 2)),
                                    manager.create(MASK, new Shape(3, 3))),
                            false)
                    .singletonOrThrow();
            assertThat(s.getShape()).isEqualTo(new Shape(3, 12));
            assertThat(block.getOutputShapes(new Shape[] {new Shape(3, 2)})[0]).isEqualTo(new Shape(3, 12));
            assertThat(StateRepresentation.P.stateDim(2, 3)).isEqualTo(12);
            float[] actual = s.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }
}
