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

class DrrAveStateBlockTest {
    private static final float G = 100f; // garbage in masked slots: must not leak into the output

    @Test
    void poolsMaskedWindowsWithRenormalisationOverPresentItems() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DrrAveStateBlock block = new DrrAveStateBlock(2, 3);
            block.poolWeights().setInitializer((m, shape, type) -> m.create(new float[] {0.5f, 2f, -1f}, shape));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3, 2), new Shape(1, 3));

            float[] users = {
                1, 2, // short window (2 of 3, right-aligned)
                3, -1, // empty window
                1, 1, // full window
                2, 0
            }; // middle slot masked (unknown item)
            float[] items = {G, G, 1, 0, 3, 4, G, G, G, G, G, G, 1, 1, 2, 0, 0, 2, 2, 2, G, G, 4, 0};
            float[] mask = {
                0, 1, 1,
                0, 0, 0,
                1, 1, 1,
                1, 0, 1
            };
            NDList out = block.forward(
                    new ParameterStore(manager, false),
                    new NDList(
                            manager.create(users, new Shape(4, 2)),
                            manager.create(items, new Shape(4, 3, 2)),
                            manager.create(mask, new Shape(4, 3))),
                    false);

            NDArray s = out.singletonOrThrow();
            assertThat(s.getShape()).isEqualTo(new Shape(4, 6));
            // Worked by hand, with pool weights (0.5, 2, -1):
            // row 0: avg = (2*(1,0) - 1*(3,4)) / 2 = (-0.5, -2)          → (1,2, -0.5,-4, -0.5,-2)
            // row 1: no item present → avg = 0                          → (3,-1, 0,0, 0,0)
            // row 2: avg = (0.5*(1,1) + 2*(2,0) - 1*(0,2)) / 3 = (1.5,-0.5) → (1,1, 1.5,-0.5, 1.5,-0.5)
            // row 3: avg = (0.5*(2,2) - 1*(4,0)) / 2 = (-1.5, 0.5)       → (2,0, -3,0, -1.5,0.5)
            float[] expected = {
                1, 2, -0.5f, -4, -0.5f, -2, 3, -1, 0, 0, 0, 0, 1, 1, 1.5f, -0.5f, 1.5f, -0.5f, 2, 0, -3, 0, -1.5f, 0.5f
            };
            float[] actual = s.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }
}
