package io.streamrec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Scores every candidate item for every action: {@code scores [B,I] = action [B,d] · E[I,d]ᵀ}, one batched matmul
 * against the item embedding matrix {@code E}, held as a parameter so it lives on the device next to the network.
 */
public final class ItemScoringBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int itemCount;
    private final Parameter itemEmbeddings;

    public ItemScoringBlock(int itemCount, int embeddingDim) {
        super(VERSION);
        this.itemCount = itemCount;
        this.itemEmbeddings = addParameter(Parameter.builder()
                .setName("itemEmbeddings")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(itemCount, embeddingDim))
                .build());
    }

    /** The item embedding matrix, shape [I,d], rows in catalogue index order. */
    public Parameter itemEmbeddings() {
        return itemEmbeddings;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray action = inputs.singletonOrThrow();
        NDArray items = parameterStore.getValue(itemEmbeddings, action.getDevice(), training);
        // linear(x, W) = x·Wᵀ: a single GEMM that reads E transposed in place, no copy of the [I,d] matrix.
        return Linear.linear(action, items);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), itemCount)};
    }
}
