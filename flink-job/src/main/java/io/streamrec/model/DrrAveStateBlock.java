package io.streamrec.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DRR-ave state representation (Liu et al. 2018, §3.3.3): {@code s = concat(u, u ⊙ avg, avg)} where {@code avg} is
 * the weighted-average pooling of the window's item embeddings with N learned position weights.
 *
 * <p>Inputs: user embedding {@code [B,d]}, window item embeddings {@code [B,N,d]}, mask {@code [B,N]} (1 = item
 * present, 0 = empty or unknown slot). Output: {@code [B,3d]}. {@code avg = Σₙ mₙ·wₙ·eₙ / max(1, Σₙ mₙ)}: the pooled
 * sum is divided by the number of present items, not by {@code Σ wₙ}, so learned weights of any sign never make
 * the denominator vanish; a full window gives the paper's average of weighted embeddings, an empty one gives
 * {@code avg = 0}. Windows are right-aligned by the caller, so weight N-1 always belongs to the most recent item.
 */
public final class DrrAveStateBlock extends WindowStateBlock {

    public DrrAveStateBlock(int embeddingDim, int windowSize) {
        super(embeddingDim, windowSize);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException(
                    "DrrAveStateBlock needs (user [B,d], items [B,N,d], mask [B,N]), got " + inputs.size() + " arrays");
        }
        NDArray user = inputs.get(0);
        NDArray items = inputs.get(1);
        NDArray mask = inputs.get(2);
        Device device = user.getDevice();
        NDArray w = parameterStore.getValue(poolWeights, device, training);
        // Every op below has an input (never the parameter) as its first operand, so intermediates are attached to
        // the caller's (per-call) NDManager and are freed with it.
        NDArray weightedMask = mask.mul(w); // [B,N]
        NDArray pooled = items.mul(weightedMask.expandDims(2)).sum(new int[] {1}); // [B,d]
        // at least one slot per row; the bound is a tensor of the call (see GraphScalarsTest)
        NDArray present =
                mask.sum(new int[] {1}, true).maximum(mask.getManager().create(1f)); // [B,1]
        NDArray avg = pooled.div(present); // [B,d]
        return new NDList(NDArrays.concat(new NDList(user, user.mul(avg), avg), 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 3L * embeddingDim)};
    }
}
