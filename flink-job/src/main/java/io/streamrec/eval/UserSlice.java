package io.streamrec.eval;

import java.io.Serializable;
import java.util.Locale;

/**
 * The users whose slates are judged ({@code eval.sample}): a fixed fraction of user ids chosen by a hash of the id,
 * so the slice is the same in every run, in every subtask and for every policy. Every policy still learns from every
 * event; only scoring slates for the evaluation, and judging them, is restricted to the slice.
 */
public record UserSlice(double fraction) implements Serializable {
    public static final UserSlice ALL = new UserSlice(1);

    public UserSlice {
        if (!(fraction > 0 && fraction <= 1))
            throw new IllegalArgumentException("eval.sample must be in (0, 1], got " + fraction);
    }

    public boolean contains(int userId) {
        if (fraction >= 1) return true;
        // SplitMix64's finaliser: consecutive ids land uniformly; the top 53 bits as a fraction in [0, 1).
        long z = userId * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < fraction;
    }

    /** For summaries: "every user" or "a 10 % slice of users (eval.sample 0.1)". */
    public String describe() {
        return fraction >= 1
                ? "every user's slates judged (eval.sample 1)"
                : String.format(
                                Locale.ROOT,
                                "slates judged for a %.4g %% slice of users (eval.sample %s, by a hash of the user id)",
                                fraction * 100,
                                fraction)
                        + "; every policy learns from every event";
    }
}
