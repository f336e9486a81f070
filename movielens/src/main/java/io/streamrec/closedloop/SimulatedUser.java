package io.streamrec.closedloop;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One user's state under {@link UserModel}: topic interests, net positive exposure (→ satisfaction), what is left of
 * the session's time budget and the user's own clock. Its randomness is its own (seeded from the run's seed and the
 * user id), so a user's reactions depend only on the slates it was shown, not on how users interleave.
 */
final class SimulatedUser {
    private static final long MINUTE = 60_000L;

    final int userId;
    private final UserModel m;
    private final SplittableRandom rng;
    private final double[] interest;
    private double npe;
    private double budgetLeft;
    private long clock;
    private int session;
    private double sessionEngagement;
    private int sessionSteps;
    private int sessionChoices;

    SimulatedUser(int userId, UserModel model, long seed, long start) {
        this.userId = userId;
        this.m = model;
        this.rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (userId + 1L)));
        this.interest = new double[model.topics()];
        for (int t = 0; t < interest.length; t++) interest[t] = rng.nextDouble(-1, 1);
        this.clock = start + (long) (rng.nextDouble() * model.returnGap());
        this.budgetLeft = sessionBudget();
    }

    double satisfaction() {
        return 1 / (1 + Math.exp(-m.sensitivity() * npe));
    }

    double interest(int topic) {
        return interest[topic];
    }

    long clock() {
        return clock;
    }

    /** Shows the user a slate (item ids; ids without a document are ignored); returns what the user did. */
    Reaction respond(int[] slate, Map<Integer, Document> docs, SessionLog log) {
        Document[] shown = new Document[slate.length];
        double[] weight = new double[slate.length];
        double s = satisfaction();
        double total = Math.exp(m.noChoice() - m.noChoiceSatisfaction() * (s - 0.5));
        for (int j = 0; j < slate.length; j++) {
            Document d = docs.get(slate[j]);
            if (d == null || d.topic() >= interest.length) continue;
            shown[j] = d;
            weight[j] = Math.exp(interest[d.topic()] + m.appealWeight() * d.appeal());
            total += weight[j];
        }
        double u = rng.nextDouble() * total;
        Document chosen = null;
        for (int j = 0; j < slate.length && chosen == null; j++) {
            if (shown[j] == null) continue;
            u -= weight[j];
            if (u < 0) chosen = shown[j];
        }
        sessionSteps++;
        if (chosen == null) {
            npe *= m.memory();
            return advance(m.stepCost(), -1, 0f, 0, false, log);
        }
        double e = Math.max(
                0, m.engagement() * (0.5 + chosen.appeal()) * (0.5 + s) + m.engagementNoise() * rng.nextGaussian());
        npe = m.memory() * npe + chosen.quality();
        for (int t = 0; t < interest.length; t++) interest[t] *= 1 - m.drift();
        interest[chosen.topic()] += m.drift();
        sessionChoices++;
        sessionEngagement += e;
        return advance(m.stepCost() + e, chosen.itemId(), rating(e), e, false, log);
    }

    /**
     * The user finds an item on their own (a topic by softmax of the interests, an item of it uniformly): an event to
     * carry on the stream when no slate item was chosen. It changes nothing of the user but the clock, and counts
     * toward no policy's return.
     */
    Reaction browse(Document[][] byTopic) {
        double total = 0;
        double[] w = new double[interest.length];
        for (int t = 0; t < w.length; t++) {
            w[t] = byTopic[t].length == 0 ? 0 : Math.exp(interest[t]);
            total += w[t];
        }
        double u = rng.nextDouble() * total;
        int topic = 0;
        while (topic < w.length - 1 && (u -= w[topic]) >= 0) topic++;
        while (byTopic[topic].length == 0) topic = (topic + 1) % w.length;
        Document d = byTopic[topic][rng.nextInt(byTopic[topic].length)];
        double e = Math.max(0, m.engagement() * (0.5 + d.appeal()) * (0.5 + satisfaction()));
        clock += MINUTE;
        return new Reaction(userId, d.itemId(), rating(e), e, clock, true, false, satisfaction());
    }

    private Reaction advance(double minutes, int item, float rating, double e, boolean organic, SessionLog log) {
        clock += (long) (minutes * MINUTE);
        long at = clock;
        budgetLeft -= minutes;
        boolean ended = budgetLeft <= 0;
        if (ended) {
            log.finished(new SessionSummary(
                    userId, session, sessionEngagement, sessionSteps, sessionChoices, satisfaction()));
            session++;
            sessionEngagement = 0;
            sessionSteps = 0;
            sessionChoices = 0;
            clock += (long) (-Math.log(1 - rng.nextDouble()) * m.returnGap());
            budgetLeft = sessionBudget();
        }
        return new Reaction(userId, item, rating, e, at, organic, ended, satisfaction());
    }

    private double sessionBudget() {
        return m.budget() * (0.5 + satisfaction());
    }

    private float rating(double engagement) {
        return (float) Math.max(1, Math.min(5, Math.round(1 + 4 * (1 - Math.exp(-engagement / m.ratingScale())))));
    }

    /** Where finished sessions go. */
    interface SessionLog {
        void finished(SessionSummary s);
    }
}
