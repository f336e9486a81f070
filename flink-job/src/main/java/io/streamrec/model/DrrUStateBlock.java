package io.streamrec.model;

/**
 * DRR-u state representation (user-item, Liu et al. 2018, §3.3.2):
 * {@code s = [u ⊙ w_1 e_1, …, u ⊙ w_N e_N, w_i e_i ⊙ w_j e_j for i<j]}, output {@code [B,(N + N(N-1)/2)·d]};
 * missing window slots are zero vectors. See {@link PairwiseStateBlock}.
 */
public final class DrrUStateBlock extends PairwiseStateBlock {
    public DrrUStateBlock(int embeddingDim, int windowSize) {
        super(embeddingDim, windowSize, true);
    }
}
