package io.streamrec.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** A DRR state-representation block: (user [B,d], items [B,N,d], mask [B,N]) → state [B, stateDim]. */
public interface StateBlock extends Block {
    /** The N position weights (the {@link ActorWeights#POOL} tensor), shape [N]. */
    Parameter poolWeights();

    /** The block of a representation. */
    static StateBlock of(StateRepresentation rep, int embeddingDim, int windowSize) {
        return switch (rep) {
            case AVE, AVE_RES -> new DrrAveStateBlock(embeddingDim, windowSize);
            case P -> new DrrPStateBlock(embeddingDim, windowSize);
            case U -> new DrrUStateBlock(embeddingDim, windowSize);
        };
    }
}
