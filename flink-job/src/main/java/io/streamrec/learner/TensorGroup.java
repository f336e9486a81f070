package io.streamrec.learner;

/**
 * The learner's three kinds of trained tensors: each has its own learning rate and its own gradient norm (the actor's
 * and the critic's are clipped; the ordinal indexes the per-group norms of a step).
 */
enum TensorGroup {
    ACTOR,
    CRITIC,
    EMBEDDING
}
