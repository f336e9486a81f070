package io.streamrec.model;

import io.streamrec.catalog.ItemCatalog;
import java.nio.file.Path;

/**
 * The model serving and the learner start from: its shape and seed, or a weights file (a full snapshot), and the
 * PyTorch threads that run it. Both stages take it from the same settings, so they start from the same weights.
 */
public interface ModelSpec extends ModelShape {
    /** A full snapshot to start from; null: the seeded initialisation. */
    String weightsFile();

    /** PyTorch intra-op threads per JVM (0 = PyTorch's default). */
    int engineThreads();

    /** The weights file when set, else {@link ActorWeights#seeded}. */
    default ActorWeights initialWeights(ItemCatalog catalog) {
        return weightsFile() != null
                ? ActorWeightsCodec.readFile(Path.of(weightsFile()))
                : ActorWeights.seeded(this, catalog);
    }
}
