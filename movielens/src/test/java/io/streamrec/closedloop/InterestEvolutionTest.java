package io.streamrec.closedloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.closedloop.InterestEvolution.Parameters;
import io.streamrec.closedloop.InterestEvolution.User;
import io.streamrec.closedloop.InterestEvolution.Video;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import org.junit.jupiter.api.Test;

/**
 * RecSim's interest-evolution world tells policies apart the way its paper says: a myopic click-maximiser clicks more
 * than random, and a policy that also weighs quality (how watching refills the budget) gets the longest sessions.
 * Same users and seeds for every policy; margins of several standard errors.
 */
class InterestEvolutionTest {
    private static final int USERS = 400;

    /** Mean clicks and return (watch time) per session, with the return's standard error. */
    record Outcome(double clicks, double ret, double retError, double clicksError) {}

    /** Shows each user the slate of the top {@code slateSize} candidates by {@code score} until the session ends. */
    static Outcome run(long seed, ToDoubleBiFunction<User, Video> score) {
        InterestEvolution world = new InterestEvolution(Parameters.recsim(), seed);
        SplittableRandom tieBreak = new SplittableRandom(seed + 1);
        double[] clicks = new double[USERS];
        double[] returns = new double[USERS];
        for (int u = 0; u < USERS; u++) {
            User user = world.newUser();
            while (!user.done()) {
                Video[] candidates = world.candidates();
                double[] s = new double[candidates.length];
                for (int i = 0; i < s.length; i++)
                    s[i] = score.applyAsDouble(user, candidates[i]) + 1e-9 * tieBreak.nextDouble();
                Video[] slate = Arrays.stream(candidates)
                        .sorted(Comparator.comparingDouble(
                                v -> -s[Arrays.asList(candidates).indexOf(v)]))
                        .limit(world.parameters().slateSize())
                        .toArray(Video[]::new);
                InterestEvolution.Response r = user.respond(slate);
                if (r.clicked() >= 0) clicks[u]++;
                returns[u] += r.watchTime();
            }
        }
        return new Outcome(mean(clicks), mean(returns), error(returns), error(clicks));
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    private static double error(double[] x) {
        double m = mean(x);
        double v = Arrays.stream(x).map(y -> (y - m) * (y - m)).sum() / (x.length - 1);
        return Math.sqrt(v / x.length);
    }

    @Test
    void myopicClicksMoreThanRandomAndTheQualityAwareOracleWatchesLongest() {
        for (long seed = 1; seed <= 3; seed++) {
            Outcome random = run(seed, (u, v) -> 0);
            Outcome myopic = run(seed, (u, v) -> u.interest(v.topic()));
            Outcome oracle = run(seed, User::watchPerBudget);
            // Clicks per step favour the myopic policy; clicks per session (sessions differ in length) too.
            assertThat(myopic.clicks() - random.clicks())
                    .as("seed %d: myopic %s vs random %s", seed, myopic, random)
                    .isGreaterThan(3 * Math.hypot(myopic.clicksError(), random.clicksError()));
            assertThat(oracle.ret() - Math.max(myopic.ret(), random.ret()))
                    .as("seed %d: oracle %s vs myopic %s, random %s", seed, oracle, myopic, random)
                    .isGreaterThan(3 * Math.hypot(oracle.retError(), Math.max(myopic.retError(), random.retError())));
        }
    }

    @Test
    void theWorldIsRecSimsInterestEvolution() {
        Parameters p = Parameters.recsim();
        assertThat(p.topicMean(0)).isEqualTo(-3.0);
        assertThat(p.topicMean(13)).isCloseTo(0.0, within(1e-12));
        assertThat(p.topicMean(14)).isEqualTo(0.0);
        assertThat(p.topicMean(19)).isEqualTo(3.0);
        assertThat(p.userUpdateAlpha()).isCloseTo(0.2647, within(1e-4));
        InterestEvolution world = new InterestEvolution(p, 7);
        User user = world.newUser();
        Video[] slate = {world.sampleVideo(), world.sampleVideo()};
        double[] probs = user.choiceProbabilities(slate);
        // weights interest + 1 per video and 2 for no click, in proportion
        double sum = user.interest(slate[0].topic()) + 1 + user.interest(slate[1].topic()) + 1 + 2;
        assertThat(probs[2]).isCloseTo(2 / sum, within(1e-12));
        // a session: budget spent by no-clicks (0.5) and watching (4), refilled by α·4·quality
        double before = user.budget();
        InterestEvolution.Response r = user.respond(slate);
        double expected =
                r.clicked() < 0 ? before - 0.5 : before - 4 + p.userUpdateAlpha() * 4 * slate[r.clicked()].quality();
        assertThat(user.budget()).isCloseTo(expected, within(1e-9));
    }
}
