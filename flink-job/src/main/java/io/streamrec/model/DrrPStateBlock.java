package io.streamrec.model;

/**
 * DRR-p state representation (product-based item-item, Liu et al. 2018, §3.3.1):
 * {@code s = [e_1, …, e_N, w_i e_i ⊙ w_j e_j for i<j]}, output {@code [B,(N + N(N-1)/2)·d]}; missing window slots
 * are zero vectors. See {@link PairwiseStateBlock}.
 */
public final class DrrPStateBlock extends PairwiseStateBlock {
    public DrrPStateBlock(int embeddingDim, int windowSize) {
        super(embeddingDim, windowSize, false);
    }
}
