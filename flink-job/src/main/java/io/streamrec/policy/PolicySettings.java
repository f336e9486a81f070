package io.streamrec.policy;

import java.io.Serializable;
import java.util.List;

/**
 * The baseline policies' settings, typed and checked once at the top (the configuration is mapped in
 * {@code io.streamrec.config.StageSettings}; the defaults live with the configuration keys, nowhere else).
 *
 * @param names the policies evaluated side by side, validated, in order (see {@link Policies#parse})
 * @param slateqSessionReturns SlateQ learns session returns instead of one-step TD ({@code slateq.returns session})
 * @param sessionGapMs a gap in a user's events that ends the session (the reward joiner's rule)
 */
public record PolicySettings(
        List<String> names,
        double positiveThreshold,
        long seed,
        double popularityHalfLifeDays,
        int mfFactors,
        double mfLearningRate,
        double mfRegularisation,
        int mfNegatives,
        double linUcbAlpha,
        double genreQEpsilon,
        double genreQAlpha,
        double genreQGamma,
        boolean slateqSessionReturns,
        long sessionGapMs)
        implements Serializable {
    public PolicySettings {
        names = List.copyOf(names);
        if (mfFactors < 1) throw new IllegalArgumentException("mf factors must be >= 1, got " + mfFactors);
        if (mfNegatives < 1) throw new IllegalArgumentException("mf negatives must be >= 1, got " + mfNegatives);
        if (popularityHalfLifeDays < 0)
            throw new IllegalArgumentException("popularity half-life must be >= 0, got " + popularityHalfLifeDays);
        if (genreQEpsilon < 0 || genreQEpsilon > 1)
            throw new IllegalArgumentException("genreq epsilon must be in [0, 1], got " + genreQEpsilon);
    }
}
