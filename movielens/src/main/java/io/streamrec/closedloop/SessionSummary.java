package io.streamrec.closedloop;

/** One finished session of one user: its return (total engagement, minutes), steps, choices and final satisfaction. */
public record SessionSummary(int userId, int session, double engagement, int steps, int choices, double satisfaction) {
    /** Choices per slate shown. */
    public double ctr() {
        return steps == 0 ? 0 : choices / (double) steps;
    }
}
