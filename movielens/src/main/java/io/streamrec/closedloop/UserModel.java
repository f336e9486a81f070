package io.streamrec.closedloop;

/**
 * The simulated users' dynamics, after RecSim's interest-evolution and long-term-satisfaction environments (Ie et al.
 * 2019). Every constant is a field so that an experiment states what it changed.
 *
 * <ul>
 *   <li><b>Choice</b>: a multinomial logit over the slate's items and a no-choice option; item j scores
 *       {@code interest[topic_j] + appealWeight·appeal_j}, no choice scores
 *       {@code noChoice − noChoiceSatisfaction·(satisfaction − ½)} (a satisfied user chooses more often).
 *   <li><b>Engagement</b> (minutes) of a chosen item: {@code engagement·(½ + appeal_j)·(½ + satisfaction)} plus
 *       Gaussian noise, at least 0: chocolate pays more now, satisfaction pays on everything.
 *   <li><b>Rating</b> (what the stream carries): 1 … 5 rising with the engagement ({@code 1 + 4·(1 − e^(−e/ratingScale))}).
 *   <li><b>Satisfaction</b> = sigmoid(sensitivity · npe), where the net positive exposure {@code npe} decays by
 *       {@code memory} each step and adds the consumed item's quality.
 *   <li><b>Interests</b> move toward the consumed topic: {@code interest ← (1 − drift)·interest + drift·onehot(topic)}.
 *   <li><b>Sessions</b>: a session's time budget is {@code budget·(½ + satisfaction)} minutes at its start; each step
 *       costs {@code stepCost} minutes of browsing plus the engagement; the session ends when the budget is spent,
 *       and the user returns after an exponential gap of mean {@code returnGap} ms.
 * </ul>
 */
public record UserModel(
        int topics,
        double appealWeight,
        double noChoice,
        double noChoiceSatisfaction,
        double engagement,
        double engagementNoise,
        double ratingScale,
        double memory,
        double sensitivity,
        double drift,
        double budget,
        double stepCost,
        long returnGap) {

    /** The defaults: 18 topics (MovieLens' genres), 60-minute sessions, a day between sessions. */
    public static UserModel defaults() {
        return new UserModel(18, 1.5, 1.0, 2.0, 4.0, 0.5, 3.0, 0.9, 0.5, 0.1, 60, 1, 86_400_000L);
    }

    /** The same dynamics over another number of topics. */
    public UserModel withTopics(int count) {
        return new UserModel(
                count,
                appealWeight,
                noChoice,
                noChoiceSatisfaction,
                engagement,
                engagementNoise,
                ratingScale,
                memory,
                sensitivity,
                drift,
                budget,
                stepCost,
                returnGap);
    }

    public UserModel {
        if (topics < 1) throw new IllegalArgumentException("topics must be >= 1");
        if (!(memory >= 0 && memory < 1)) throw new IllegalArgumentException("memory must be in [0, 1)");
        if (!(drift >= 0 && drift <= 1)) throw new IllegalArgumentException("drift must be in [0, 1]");
        if (!(budget > 0) || !(stepCost > 0)) throw new IllegalArgumentException("budget and stepCost must be > 0");
        if (returnGap < 0) throw new IllegalArgumentException("returnGap must be >= 0");
    }
}
