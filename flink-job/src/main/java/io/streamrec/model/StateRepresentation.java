package io.streamrec.model;

import java.util.Locale;

/**
 * The DRR state-representation module (Liu et al. 2018, §3.3) over the user embedding {@code u} and the window's
 * N item embeddings {@code e_1..e_N} (missing slots contribute zero vectors), with N learned position weights
 * {@code w} (the {@link ActorWeights#POOL} tensor in every variant):
 * <ul>
 *   <li>{@link #AVE} DRR-ave: {@code s = [u, u ⊙ avg, avg]}, weighted-average pooling; width 3d.</li>
 *   <li>{@link #AVE_RES} DRR-ave with a residual path: the same state, and the pooled window {@code avg} is added to
 *       the actor's output, {@code a = tanh(MLP(s)) + avg}. The actor starts as item-to-item similarity
 *       ({@code a·e_j = avg·e_j + …}) and the position weights act on the action directly, so recency is learned
 *       quickly; the MLP learns the correction. Not in the paper.</li>
 *   <li>{@link #P} DRR-p (item-item): {@code s = [e_1..e_N, w_i e_i ⊙ w_j e_j for i<j]}; width (N + C(N,2))·d.</li>
 *   <li>{@link #U} DRR-u (user-item): {@code s = [u ⊙ w_i e_i for each i, w_i e_i ⊙ w_j e_j for i<j]};
 *       width (N + C(N,2))·d.</li>
 * </ul>
 * Pairs are ordered lexicographically: (0,1), (0,2), …, (0,N-1), (1,2), …
 */
public enum StateRepresentation {
    AVE("ave"),
    AVE_RES("ave-res"),
    P("p"),
    U("u");

    private final String key;

    StateRepresentation(String key) {
        this.key = key;
    }

    /** The configuration value: ave, ave-res, p or u. */
    public String key() {
        return key;
    }

    /** Width of the state vector for embedding size d and window size n. */
    public int stateDim(int d, int n) {
        return this == AVE || this == AVE_RES ? 3 * d : (n + n * (n - 1) / 2) * d;
    }

    /** Whether the actor adds the pooled window (the state's last d values) to its output. */
    public boolean residual() {
        return this == AVE_RES;
    }

    /** Parses ave|ave-res|p|u (case-insensitive; "drr-" prefix allowed); null or blank means {@link #AVE}. */
    public static StateRepresentation parse(String value) {
        if (value == null || value.isBlank()) return AVE;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("drr-")) v = v.substring(4);
        for (StateRepresentation r : values()) if (r.key.equals(v)) return r;
        throw new IllegalArgumentException(
                "unknown state representation '" + value + "', expected ave, ave-res, p or u");
    }
}
