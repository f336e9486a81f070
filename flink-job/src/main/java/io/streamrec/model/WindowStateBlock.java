package io.streamrec.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * What every DRR state representation has: the embedding size d, the window size N, and N learned position weights
 * over the window (the {@link ActorWeights#POOL} tensor), initialised to ones so that before any learning every
 * present item counts the same.
 */
abstract class WindowStateBlock extends AbstractBlock implements StateBlock {
    private static final byte VERSION = 1;

    protected final int embeddingDim;
    protected final int windowSize;
    protected final Parameter poolWeights;

    WindowStateBlock(int embeddingDim, int windowSize) {
        super(VERSION);
        this.embeddingDim = embeddingDim;
        this.windowSize = windowSize;
        this.poolWeights = addParameter(Parameter.builder()
                .setName("poolWeights")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(windowSize))
                .optInitializer(Initializer.ONES)
                .build());
    }

    /** The N position weights, shape [N]. */
    @Override
    public Parameter poolWeights() {
        return poolWeights;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public int windowSize() {
        return windowSize;
    }
}
