package io.streamrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.ActorTestData;
import io.streamrec.testutil.TestSettings;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DrrActorBlockTest {
    private static final ActorSettings SETTINGS =
            TestSettings.actor().embeddingDim(4).hiddenDim(6).windowSize(3).build();
    private static final ItemCatalog CATALOG = ItemCatalog.range(9);

    @Test
    void carriesExactlyTheLoadedWeights() {
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, CATALOG), 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            DrrActorBlock block = DrrActorBlock.shapedLike(weights);
            block.initialize(manager, weights);
            Map<String, float[]> values = block.readValues();
            for (String name : ActorWeights.TENSOR_NAMES) {
                assertThat(values.get(name)).as(name).containsExactly(weights.tensor(name));
            }
            assertThat(values.get(DrrActorBlock.ITEM_EMBEDDINGS)).containsExactly(weights.itemMatrix());
            assertThat(block.getParameters().size()).isEqualTo(8);
            assertThat(block.mlp().fc1Weight().getArray().getShape()).isEqualTo(new Shape(6, 12));
            assertThat(block.getOutputShapes(block.inputShapes(5))).containsExactly(new Shape(5, 4), new Shape(5, 9));
        }
    }

    /** The later learner trains these blocks: every parameter must receive a gradient through the whole actor. */
    @Test
    void everyParameterGetsAGradientUnderAGradientCollector() {
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, CATALOG), 2);
        SplittableRandom rnd = new SplittableRandom(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            DrrActorBlock block = DrrActorBlock.shapedLike(weights);
            block.initialize(manager, weights);
            float[] users = new float[2 * 4];
            float[] items = new float[2 * 3 * 4];
            for (int i = 0; i < users.length; i++) users[i] = (float) rnd.nextDouble(-1, 1);
            for (int i = 0; i < items.length; i++) items[i] = (float) rnd.nextDouble(-1, 1);
            float[] mask = {0, 1, 1, 1, 1, 1};
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = block.forward(
                        new ParameterStore(manager, false),
                        new NDList(
                                manager.create(users, new Shape(2, 4)),
                                manager.create(items, new Shape(2, 3, 4)),
                                manager.create(mask, new Shape(2, 3))),
                        true);
                NDArray loss = out.get(1).square().sum().add(out.get(0).sum());
                collector.backward(loss);
            }
            for (Map.Entry<String, Parameter> e : block.namedParameters().entrySet()) {
                float norm = e.getValue().getArray().getGradient().abs().sum().getFloat();
                assertThat(norm).as("gradient of %s", e.getKey()).isGreaterThan(0f);
            }
        }
    }
}
