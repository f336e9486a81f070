package io.streamrec.serving;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.DrrActorBlock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of the actor loaded into DJL: a {@link Model} holding a {@link DrrActorBlock} whose parameters (item
 * matrix included) are copied once onto the engine's default device (a GPU when present, else CPU). Immutable
 * once built; inference goes through thread-confined {@link ActorScorer}s. {@link #close()} frees all native memory,
 * including that of its scorers.
 */
public final class ServingModel implements AutoCloseable {
    private final ActorWeights weights;
    private final ItemCatalog catalog;
    private final int k;
    private final Model model;
    private final DrrActorBlock block;
    private final Retrieval retrieval;
    private final ItemIndex index;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Whole-catalogue scoring.
     *
     * @param k slate size of the scorers
     * @throws IllegalArgumentException when the weights' item rows are not the catalogue's items
     */
    public ServingModel(ActorWeights weights, ItemCatalog catalog, int k) {
        this(weights, catalog, k, Retrieval.NONE, null);
    }

    /**
     * Two-stage serving when {@code retrieval} is enabled: its scorers take candidates from an item index — {@code
     * previousIndex} while {@link Retrieval#indexFor} keeps it, else one built here from {@code weights} (in the
     * calling thread: the job's weights follower, never the inference thread) — and re-rank them by this version's
     * embeddings.
     *
     * @param previousIndex the index the previous version served with, or null
     */
    public ServingModel(
            ActorWeights weights, ItemCatalog catalog, int k, Retrieval retrieval, ItemIndex previousIndex) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        weights.requireAlignedWith(catalog);
        this.weights = weights;
        this.catalog = catalog;
        this.k = k;
        this.retrieval = retrieval;
        this.index = retrieval.indexFor(weights, previousIndex);
        Model m = Model.newInstance("drr-actor-v" + weights.version());
        try {
            DrrActorBlock b = DrrActorBlock.shapedLike(weights);
            b.initialize(m.getNDManager(), weights);
            // Serving never needs gradients: frozen parameters keep PyTorch from recording an autograd graph,
            // whatever the grad mode of the calling thread.
            b.freezeParameters(true);
            m.setBlock(b);
            this.block = b;
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
        this.model = m;
    }

    /** A new scorer (one DJL Predictor); use it from one thread only and close it, or close this model. */
    public ActorScorer newScorer() {
        if (closed.get()) throw new IllegalStateException("serving model v" + version() + " is closed");
        return new ActorScorer(this, model.newPredictor(new ActorTranslator()));
    }

    public long version() {
        return weights.version();
    }

    public ActorWeights weights() {
        return weights;
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    public int k() {
        return k;
    }

    /** The retrieval settings ({@link Retrieval#NONE}: whole-catalogue scoring). */
    public Retrieval retrieval() {
        return retrieval;
    }

    /** The item index candidates come from (possibly built from an older version), or null. */
    public ItemIndex index() {
        return index;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    public DrrActorBlock block() {
        return block;
    }

    /** The manager owning the parameters and every predictor's arrays (for leak checks). */
    NDManager manager() {
        return model.getNDManager();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) model.close();
    }

    @Override
    public String toString() {
        return "ServingModel{v" + version() + " on " + device() + ", items=" + weights.itemCount() + ", k=" + k + ", "
                + (index == null ? retrieval : retrieval + " on index v" + index.version()) + '}';
    }
}
