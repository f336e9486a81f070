package io.streamrec.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Shared forward of the DRR-p and DRR-u state representations (Liu et al. 2018, §3.3.1-2); see
 * {@link StateRepresentation}. With masked items {@code eₙ = mₙ·itemₙ} (an empty or unknown slot is a zero vector)
 * and N learned position weights {@code w}:
 * <ul>
 *   <li>DRR-p: {@code s = [e_1, …, e_N, w_i e_i ⊙ w_j e_j for i<j]}</li>
 *   <li>DRR-u: {@code s = [u ⊙ w_1 e_1, …, u ⊙ w_N e_N, w_i e_i ⊙ w_j e_j for i<j]}</li>
 * </ul>
 * Pairs in lexicographic order (0,1), (0,2), …, (N-2,N-1). Inputs: user {@code [B,d]}, items {@code [B,N,d]}, mask
 * {@code [B,N]}; output {@code [B,(N + N(N-1)/2)·d]}.
 */
abstract class PairwiseStateBlock extends WindowStateBlock {
    private final boolean userItem;

    PairwiseStateBlock(int embeddingDim, int windowSize, boolean userItem) {
        super(embeddingDim, windowSize);
        this.userItem = userItem;
    }

    /** Width of the output state vector. */
    public int stateDim() {
        return (windowSize + windowSize * (windowSize - 1) / 2) * embeddingDim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + " needs (user [B,d], items [B,N,d], mask [B,N]), got " + inputs.size() + " arrays");
        }
        NDArray user = inputs.get(0);
        NDArray items = inputs.get(1);
        NDArray mask = inputs.get(2);
        Device device = user.getDevice();
        NDArray w = parameterStore.getValue(poolWeights, device, training);
        long batch = items.getShape().get(0);
        // Inputs first in every op, so intermediates belong to the caller's per-call NDManager (see DrrAveStateBlock).
        NDArray weighted = items.mul(mask.mul(w).expandDims(2)); // [B,N,d]: w_n·e_n
        NDList parts = new NDList();
        if (userItem) {
            parts.add(weighted.mul(user.expandDims(1)).reshape(batch, (long) windowSize * embeddingDim));
        } else {
            parts.add(items.mul(mask.expandDims(2)).reshape(batch, (long) windowSize * embeddingDim)); // e_n
        }
        if (windowSize > 1) {
            NDArray[] slots = new NDArray[windowSize];
            for (int n = 0; n < windowSize; n++) slots[n] = weighted.get(":, " + n + ", :"); // [B,d]
            for (int i = 0; i < windowSize; i++) {
                for (int j = i + 1; j < windowSize; j++) parts.add(slots[i].mul(slots[j]));
            }
        }
        return new NDList(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), stateDim())};
    }
}
