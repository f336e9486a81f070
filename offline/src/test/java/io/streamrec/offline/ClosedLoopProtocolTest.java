package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.closedloop.InterestEvolution;
import io.streamrec.closedloop.InterestEvolution.Video;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.offline.ClosedLoopProtocol.Cohort;
import io.streamrec.state.RecommendationRequest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The in-process closed loop: cohorts share their users (the same world seed gives the same outcome to the same
 * policy), a policy chooses among the step's candidates only, and the world's references keep their order with the
 * job's policies in the loop — the quality-aware oracle far ahead on return, the click oracle ahead on clicks per step.
 */
class ClosedLoopProtocolTest {
    private static final InterestEvolution.Parameters WORLD =
            InterestEvolution.Parameters.recsim().withSlate(20, 2);
    private static final StreamrecConfig CONFIG = StreamrecConfig.fromArgs("--k", "2");

    @Test
    void theSameSeedGivesTheSameCohortAndAnotherSeedAnother() {
        var s = new ClosedLoopProtocol.Settings(WORLD, 400, 60, 2, 5);
        Cohort a = ClosedLoopProtocol.runCohort(s, CONFIG, "popularity");
        Cohort b = ClosedLoopProtocol.runCohort(s, CONFIG, "popularity");
        Cohort c = ClosedLoopProtocol.runCohort(
                new ClosedLoopProtocol.Settings(WORLD, 400, 60, 2, 6), CONFIG, "popularity");
        assertThat(a.watch()).isDeepEqualTo(b.watch());
        assertThat(a.clicks()).isDeepEqualTo(b.clicks());
        assertThat(Arrays.deepEquals(a.watch(), c.watch())).isFalse();
    }

    @Test
    void aPolicyChoosesAmongTheStepsCandidatesOnly() {
        Video[] videos = ClosedLoopProtocol.catalogue(new InterestEvolution(WORLD, 3), 50);
        boolean[] watched = new boolean[videos.length];
        for (int i = 0; i < 45; i++) watched[i] = true;
        Video[] candidates = ClosedLoopProtocol.drawCandidates(videos, watched, 20, new SplittableRandom(1));
        // only five are unwatched: all five, none watched
        assertThat(candidates).hasSize(5).allSatisfy(v -> assertThat(v.id()).isGreaterThanOrEqualTo(45));
        Arrays.fill(watched, false);
        candidates = ClosedLoopProtocol.drawCandidates(videos, watched, 20, new SplittableRandom(1));
        assertThat(Arrays.stream(candidates).mapToInt(Video::id).distinct().count())
                .isEqualTo(20);
        RecommendationRequest r =
                ClosedLoopProtocol.servingRequest(new RequestBuilder(5, 4.0), 7, 1, -1, 0L, candidates, videos.length);
        // excluded: exactly the 30 videos that are not candidates, sorted (the policies' contract)
        assertThat(r.ratedItems).hasSize(30).isSorted();
        for (Video v : candidates)
            assertThat(Arrays.binarySearch(r.ratedItems, v.id() + 1)).isNegative();
        var policy = io.streamrec.policy.Policies.create(
                "random",
                new io.streamrec.policy.PolicyContext(
                        ClosedLoopProtocol.itemCatalog(videos), io.streamrec.config.StageSettings.policies(CONFIG)));
        for (int i = 0; i < 20; i++) {
            for (int item : policy.recommend(r, 2).items())
                assertThat(Arrays.stream(candidates).anyMatch(v -> v.id() + 1 == item))
                        .isTrue();
        }
    }

    @Test
    void theOraclesKeepTheirOrderWithTheJobsPoliciesInTheLoop() {
        var s = new ClosedLoopProtocol.Settings(WORLD, 600, 150, 1, 11);
        List<Cohort> cohorts = ClosedLoopProtocol.run(
                s, CONFIG, List.of("random", "slateq", "drr", "oracle-clicks", "oracle-quality"));
        Cohort random = cohorts.get(0), clicks = cohorts.get(3), quality = cohorts.get(4);
        double randomRate = Cohort.mean(random.clicks(), -1) / Cohort.mean(random.steps(), -1);
        double clickRate = Cohort.mean(clicks.clicks(), -1) / Cohort.mean(clicks.steps(), -1);
        assertThat(clickRate).as("clicks per step").isGreaterThan(randomRate + 0.1);
        assertThat(Cohort.mean(quality.watch(), -1))
                .as("return")
                .isGreaterThan(1.3 * Cohort.mean(clicks.watch(), -1))
                .isGreaterThan(1.3 * Cohort.mean(random.watch(), -1));
        assertThat(quality.meanQuality(-1)).isGreaterThan(0.5).isGreaterThan(random.meanQuality(-1) + 1);
        for (Cohort c : cohorts.subList(1, 3)) { // the learners ran the loop: every user had a session with clicks
            assertThat(Cohort.mean(c.clicks(), -1)).as(c.name()).isGreaterThan(10);
            assertThat(Arrays.stream(c.steps()[0]).min().orElseThrow())
                    .as(c.name())
                    .isGreaterThan(0);
        }
    }

    @Test
    void theSlateMustBeTheWorlds() {
        var s = new ClosedLoopProtocol.Settings(WORLD, 100, 5, 1, 1);
        assertThatThrownBy(() -> ClosedLoopProtocol.runCohort(s, StreamrecConfig.fromArgs("--k", "10"), "random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slate size");
    }
}
