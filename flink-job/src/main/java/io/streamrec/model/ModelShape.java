package io.streamrec.model;

/**
 * The sizes and the seed that define one DRR model, whoever builds it (serving's settings, the learner, the offline
 * tools): embedding size d, actor hidden width h, window size N, state representation and the seed of version 0.
 */
public interface ModelShape {
    int embeddingDim();

    int hiddenDim();

    int windowSize();

    StateRepresentation stateRepresentation();

    long seed();

    /** Width of the state vector. */
    default int stateDim() {
        return stateRepresentation().stateDim(embeddingDim(), windowSize());
    }
}
