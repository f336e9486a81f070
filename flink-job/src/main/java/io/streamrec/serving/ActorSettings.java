package io.streamrec.serving;

import io.streamrec.model.ModelSpec;
import io.streamrec.model.StateRepresentation;
import java.io.Serializable;
import java.util.Objects;

/**
 * The actor's shape and serving knobs: network dimensions, slate size, micro-batching and the seed of the initial
 * weights. Immutable and serialisable, so it travels inside {@link ActorScoringFunction} to every subtask.
 */
public final class ActorSettings implements ModelSpec, Serializable {
    private static final long serialVersionUID = 1L;

    private final int embeddingDim;
    private final int hiddenDim;
    private final int windowSize;
    private final int k;
    private final int batchSize;
    private final long maxBatchWaitMicros;
    private final long seed;
    private final String policy;
    private final String weightsFile;
    private final int engineThreads;
    private final StateRepresentation stateRepresentation;
    private final Retrieval retrieval;

    private ActorSettings(Builder b) {
        this.embeddingDim = positive("embeddingDim", b.embeddingDim);
        this.hiddenDim = positive("hiddenDim", b.hiddenDim);
        this.windowSize = positive("windowSize", b.windowSize);
        this.k = positive("k", b.k);
        this.batchSize = positive("batchSize", b.batchSize);
        if (b.maxBatchWaitMicros < 0) {
            throw new IllegalArgumentException("maxBatchWaitMicros must be >= 0, got " + b.maxBatchWaitMicros);
        }
        this.maxBatchWaitMicros = b.maxBatchWaitMicros;
        this.seed = b.seed;
        if (b.policy == null || b.policy.isBlank()) throw new IllegalArgumentException("policy name must not be blank");
        this.policy = b.policy;
        this.weightsFile = b.weightsFile == null || b.weightsFile.isBlank() ? null : b.weightsFile;
        if (b.engineThreads < 0)
            throw new IllegalArgumentException("engineThreads must be >= 0, got " + b.engineThreads);
        this.engineThreads = b.engineThreads;
        if (b.stateRepresentation == null) throw new IllegalArgumentException("stateRepresentation must not be null");
        this.stateRepresentation = b.stateRepresentation;
        if (b.retrieval == null) throw new IllegalArgumentException("retrieval must not be null (Retrieval.NONE)");
        this.retrieval = b.retrieval;
    }

    private static int positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .embeddingDim(embeddingDim)
                .hiddenDim(hiddenDim)
                .windowSize(windowSize)
                .k(k)
                .batchSize(batchSize)
                .maxBatchWaitMicros(maxBatchWaitMicros)
                .seed(seed)
                .policy(policy)
                .weightsFile(weightsFile)
                .engineThreads(engineThreads)
                .stateRepresentation(stateRepresentation)
                .retrieval(retrieval);
    }

    /** d: size of user and item embeddings and of the action vector. */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** h: width of the actor MLP's two hidden layers. */
    public int hiddenDim() {
        return hiddenDim;
    }

    /** N: positive-history items pooled into the state. */
    public int windowSize() {
        return windowSize;
    }

    /** Slate size. */
    public int k() {
        return k;
    }

    /** Largest micro-batch the inference thread scores in one forward pass. */
    public int batchSize() {
        return batchSize;
    }

    /** Longest time the inference thread waits for a micro-batch to fill once it holds one request. */
    public long maxBatchWaitMicros() {
        return maxBatchWaitMicros;
    }

    /** Seed of the initial weights and of every cold-start user row. */
    public long seed() {
        return seed;
    }

    /** Name written into {@code Recommendation.policy}. */
    public String policy() {
        return policy;
    }

    /** Full actor-weights JSON snapshot to start from, or null for the seeded initialisation. */
    @Override
    public String weightsFile() {
        return weightsFile;
    }

    /**
     * PyTorch intra-op threads of the JVM (0 = engine default, all cores). Default 1: parallelism, i.e. one inference
     * thread per subtask, is what should use the cores.
     */
    @Override
    public int engineThreads() {
        return engineThreads;
    }

    /** The DRR state representation (ave, ave-res, p or u; the builder defaults to ave, the configuration to ave-res) of the seeded weights. */
    public StateRepresentation stateRepresentation() {
        return stateRepresentation;
    }

    /** Two-stage serving's retrieval stage, or {@link Retrieval#NONE}: the actor scores the whole catalogue. */
    public Retrieval retrieval() {
        return retrieval;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ActorSettings s)) return false;
        return embeddingDim == s.embeddingDim
                && hiddenDim == s.hiddenDim
                && windowSize == s.windowSize
                && k == s.k
                && batchSize == s.batchSize
                && maxBatchWaitMicros == s.maxBatchWaitMicros
                && seed == s.seed
                && policy.equals(s.policy)
                && Objects.equals(weightsFile, s.weightsFile)
                && engineThreads == s.engineThreads
                && stateRepresentation == s.stateRepresentation
                && retrieval.equals(s.retrieval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                embeddingDim,
                hiddenDim,
                windowSize,
                k,
                batchSize,
                maxBatchWaitMicros,
                seed,
                policy,
                weightsFile,
                engineThreads,
                stateRepresentation,
                retrieval);
    }

    @Override
    public String toString() {
        return "ActorSettings{d=" + embeddingDim + ", h=" + hiddenDim + ", N=" + windowSize + ", k=" + k
                + ", batch=" + batchSize + ", wait=" + maxBatchWaitMicros + "us, seed=" + seed + ", policy=" + policy
                + ", engineThreads=" + engineThreads + ", state=" + stateRepresentation.key() + ", serving=" + retrieval
                + (weightsFile == null ? "" : ", weights=" + weightsFile) + '}';
    }

    /** Builder; {@link #build()} validates (every value must be set). */
    public static final class Builder {
        // No defaults here: every default is its configuration key's, declared once (ConfigKey);
        // start from StageSettings.actor(StreamrecConfig.defaults()).toBuilder().
        private int embeddingDim;
        private int hiddenDim;
        private int windowSize;
        private int k;
        private int batchSize;
        private long maxBatchWaitMicros;
        private long seed;
        private String policy;
        private String weightsFile;
        private int engineThreads;
        private StateRepresentation stateRepresentation;
        private Retrieval retrieval = Retrieval.NONE;

        private Builder() {}

        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }

        public Builder hiddenDim(int v) {
            hiddenDim = v;
            return this;
        }

        public Builder windowSize(int v) {
            windowSize = v;
            return this;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxBatchWaitMicros(long v) {
            maxBatchWaitMicros = v;
            return this;
        }

        public Builder maxBatchWaitMillis(long v) {
            maxBatchWaitMicros = Math.multiplyExact(v, 1000L);
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder policy(String v) {
            policy = v;
            return this;
        }

        /** A full actor-weights snapshot file; null or blank means "start seeded". */
        public Builder weightsFile(String v) {
            weightsFile = v;
            return this;
        }

        /** PyTorch intra-op threads of the JVM; 0 = engine default. */
        public Builder engineThreads(int v) {
            engineThreads = v;
            return this;
        }

        public Builder stateRepresentation(StateRepresentation v) {
            stateRepresentation = v;
            return this;
        }

        public Builder retrieval(Retrieval v) {
            retrieval = v;
            return this;
        }

        public ActorSettings build() {
            return new ActorSettings(this);
        }
    }
}
