package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.SeedSummary;
import io.streamrec.eval.SummaryTable;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.MovieReader;
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Movie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DRR learns, measured as {@code ./streamrec evaluate --seeds 3} measures it: the prequential harness (the job's own
 * {@code DrrLoop}, deterministic, so each figure below is exact and the margins guard against regressions, not luck),
 * three seeds, against the classical policies of the same runs. Each margin is set well inside the measured gap and
 * far outside the seeds' spread (figures of 2026-12-06, NDCG@10, mean ± 95 % interval over the seeds):
 * <ul>
 *   <li>ml-100k, its first 50,000 ratings: drr-greedy 0.1111 ± 0.0017, item-kNN 0.0818, the sequence-aware SR 0.0789
 *       and V-SKNN 0.0637, popularity 0.0760 (hit@10 0.1453 ± 0.0022 vs item-kNN 0.1211, SR 0.1103) — asserted: the
 *       interval's lower end ≥ 1.15× each of item-kNN, SR and V-SKNN on NDCG@10 and ≥ 1.08× on hit@10. Skipped
 *       without the data.</li>
 *   <li>a simulated stream with latent structure (300 users, 240 items, 12,000 ratings): drr-greedy 0.183 ± 0.009,
 *       popularity 0.093, random 0.033 — asserted ≥ 1.5× popularity.</li>
 *   <li>topic walks, where the order of ratings matters ({@link TopicWalks}): drr-greedy 0.054 ± 0.004, popularity
 *       0.0385 — asserted ≥ 1.2× popularity.</li>
 * </ul>
 * On both simulated streams the neighbourhood baselines are far ahead (item-kNN 0.284 and 0.130, V-SKNN 0.224 and 0.098,
 * SR 0.187 and 0.147): 12,000 ratings give the learner 375 steps at the default replay ratio, and even at ratio 16 DRR
 * reached 0.246 and 0.107 (measured, not asserted). Beating them on every stream is not a property this test can claim.
 */
class DrrLearningTest {
    private static final List<String> POLICIES = List.of("random", "popularity", "itemknn", "sr", "vsknn", "drr");
    private static final StreamrecConfig CONFIG =
            StreamrecConfig.defaults().with(ConfigKey.EVAL_SAMPLE, 1).with(ConfigKey.EVAL_WINDOW_EVENTS, 0);
    private static final int SEEDS = 3;

    @Test
    void drrBeatsItemKnnOnMl100kOverThreeSeeds() throws Exception {
        Path ml = Path.of(System.getProperty("streamrec.shared.data", "../shared/data"))
                .resolve("ml-100k");
        assumeTrue(Files.isRegularFile(ml.resolve("u.data")), "ml-100k not present at " + ml);
        EventLog all = RatingsReader.load(ml.resolve("u.data")).events().sortByTime();
        EventLog first = new EventLog(50_000);
        for (int e = 0; e < 50_000; e++) first.add(all.get(e));
        SeedSummary runs = seeds(first, MovieReader.read(ml.resolve("u.item")));
        for (String baseline : List.of("itemknn", "sr", "vsknn")) {
            assertLowerEndAtLeast(runs, "ndcg@10", baseline, 1.15);
            assertLowerEndAtLeast(runs, "hit@10", baseline, 1.08);
        }
    }

    @Test
    void drrBeatsPopularityOnAStreamWithLatentStructure() {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(300, 240, 12_000, 5));
        SeedSummary runs = seeds(data.events(), data.movies());
        assertLowerEndAtLeast(runs, "ndcg@10", "popularity", 1.5);
        assertLowerEndAtLeast(runs, "ndcg@10", "random", 4);
    }

    @Test
    void drrBeatsPopularityWhenTheOrderOfRatingsMatters() {
        var data = TopicWalks.generate(150, 20, 15, 80, 0.35, 17);
        SeedSummary runs = seeds(data.events(), data.movies());
        assertLowerEndAtLeast(runs, "ndcg@10", "popularity", 1.2);
    }

    /** Every policy over {@link #SEEDS} seeds of the harness; the DRR learner must have skipped no step. */
    private static SeedSummary seeds(EventLog events, List<Movie> movies) {
        EventLog ordered = events.sortByTime();
        ItemCatalog catalog = ItemCatalog.of(movies);
        SeedSummary summary = new SeedSummary();
        for (int s = 0; s < SEEDS; s++) {
            OnlineReplay.Result r = OnlineReplay.run(ordered, catalog, EvaluateCli.withSeedOffset(CONFIG, s), POLICIES);
            System.out.printf(
                    "[drr-learning] seed %d (%.1f s)%n%s%n",
                    s, r.seconds(), SummaryTable.format(r.evaluator().cumulative()));
            assertThat(r.drr().steps()).as("learner steps").isPositive();
            assertThat(r.drr().skippedSteps()).as("skipped steps").isZero();
            summary.add(r.evaluator().cumulative());
        }
        return summary;
    }

    /** drr-greedy's interval, lower end, is at least {@code factor} × the baseline's mean. */
    private static void assertLowerEndAtLeast(SeedSummary runs, String metric, String baseline, double factor) {
        SeedSummary.Interval drr = runs.intervals(metric).get("drr-greedy");
        SeedSummary.Interval other = runs.intervals(metric).get(baseline);
        System.out.printf("[drr-learning] %s: drr-greedy %s, %s %s%n", metric, drr, baseline, other);
        assertThat(drr.mean() - drr.halfWidth())
                .as("%s: drr-greedy %s vs %s × %s", metric, drr, factor, baseline + " " + other)
                .isGreaterThanOrEqualTo(factor * other.mean());
    }
}
