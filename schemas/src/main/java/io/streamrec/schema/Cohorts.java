package io.streamrec.schema;

import java.util.List;

/**
 * The closed loop's online A/B split: each user belongs to exactly one policy's cohort, by a hash of the user id
 * (SplitMix64 with its own salt, independent of the evaluation slice), the same in the job (whose DRR learner learns
 * only from its own cohort) and in the simulated users (who answer only their cohort's slates).
 */
public final class Cohorts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final long SALT = 0x636F686F72747321L; // "cohorts!"

    private final List<String> policies;

    public Cohorts(List<String> policies) {
        if (policies.isEmpty()) throw new IllegalArgumentException("cohorts need at least one policy");
        this.policies = List.copyOf(policies);
    }

    /** The policy whose slates user {@code userId} is shown. */
    public String of(int userId) {
        long z = userId + SALT + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return policies.get((int) Long.remainderUnsigned(z, policies.size()));
    }

    public List<String> policies() {
        return policies;
    }
}
