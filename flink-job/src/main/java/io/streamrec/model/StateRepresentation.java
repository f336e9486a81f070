package io.streamrec.model;

import java.util.Locale;

/**
 * The DRR state-representation module (Liu et al. 2018, §3.3) over the user embedding {@code u} and the window's
 * N item embeddings {@code e_1..e_N} (missing slots contribute zero vectors), with N learned position weights
 * {@code w} (the {@link ActorWeights#POOL} tensor in every variant):
 * <ul>
 *   <li>{@link #AVE} DRR-ave: {@code s = [u, u ⊙ avg, avg]}, weighted-average pooling; width 3d.</li>
 *   <li>{@link #P} DRR-p (item-item): {@code s = [e_1..e_N, w_i e_i ⊙ w_j e_j for i<j]}; width (N + C(N,2))·d.</li>
 *   <li>{@link #U} DRR-u (user-item): {@code s = [u ⊙ w_i e_i for each i, w_i e_i ⊙ w_j e_j for i<j]};
 *       width (N + C(N,2))·d.</li>
 * </ul>
 * Pairs are ordered lexicographically: (0,1), (0,2), …, (0,N-1), (1,2), …
 */
public enum StateRepresentation {
    AVE("ave"), P("p"), U("u");

    private final String key;

    StateRepresentation(String key) {
        this.key = key;
    }

    /** The configuration value: ave, p or u. */
    public String key() {
        return key;
    }

    /** Width of the state vector for embedding size d and window size n. */
    public int stateDim(int d, int n) {
        return this == AVE ? 3 * d : (n + n * (n - 1) / 2) * d;
    }

    /** Parses ave|p|u (case-insensitive; "drr-" prefix allowed); null or blank means {@link #AVE}. */
    public static StateRepresentation parse(String value) {
        if (value == null || value.isBlank()) return AVE;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("drr-")) v = v.substring(4);
        for (StateRepresentation r : values()) if (r.key.equals(v)) return r;
        throw new IllegalArgumentException("unknown state representation '" + value + "', expected ave, p or u");
    }
}
