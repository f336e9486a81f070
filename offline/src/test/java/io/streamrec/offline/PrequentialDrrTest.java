package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.SeedSummary;
import io.streamrec.eval.SummaryTable;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Movie;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DRR in the single-threaded prequential harness: the same command gives the same table digit for digit, the learner
 * takes the steps its replay ratio asks for, and relabelled ids with shifted timestamps give the same figures within
 * the seeds' spread (ids steer nothing beyond what seeds do).
 */
class PrequentialDrrTest {
    private static final List<String> POLICIES =
            List.of("random", "popularity", "itemknn", "mf", "linucb", "genreq", "drr");
    private static final StreamrecConfig CONFIG =
            StreamrecConfig.defaults().with(ConfigKey.EVAL_SAMPLE, 1).with(ConfigKey.EVAL_WINDOW_EVENTS, 0);
    private static EventLog events;
    private static ItemCatalog catalog;
    private static List<Movie> movies;

    @BeforeAll
    static void stream() {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(300, 240, 12_000, 5));
        events = data.events().sortByTime();
        movies = data.movies();
        catalog = ItemCatalog.of(movies);
    }

    @Test
    void theSameCommandGivesTheSameTableDigitForDigit() {
        OnlineReplay.Result a = OnlineReplay.run(events, catalog, CONFIG, POLICIES);
        OnlineReplay.Result b = OnlineReplay.run(events, catalog, CONFIG, POLICIES);
        String table = SummaryTable.format(a.evaluator().cumulative());
        assertThat(table).contains("drr ", "drr-greedy ");
        assertThat(SummaryTable.format(b.evaluator().cumulative())).isEqualTo(table);
        assertThat(b.drr()).isEqualTo(a.drr());
        // sync pacing: one step of B = 64 samples per 32 transitions at replay ratio 2, from the first full batch on
        long expected = a.drr().transitions() * 2 / 64;
        assertThat(a.drr().steps()).isBetween(expected - 3, expected);
        assertThat(a.drr().servingVersion()).isPositive();
        assertThat(a.drr().skippedSteps()).isZero();
        // another seed is another run
        OnlineReplay.Result c = OnlineReplay.run(events, catalog, EvaluateCli.withSeedOffset(CONFIG, 1), POLICIES);
        assertThat(SummaryTable.format(c.evaluator().cumulative())).isNotEqualTo(table);
    }

    @Test
    void relabelledIdsAndShiftedTimeGiveTheSameFiguresWithinTheSeedInterval() {
        Random rnd = new Random(99);
        Map<Integer, Integer> users = userPermutation(events, rnd);
        Map<Integer, Integer> items = new HashMap<>();
        List<Integer> ids = new ArrayList<>();
        for (Movie m : movies) ids.add(m.itemId);
        List<Integer> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, rnd);
        // new ids in another range and order: 10,000 + a permutation, so no item keeps its id or its rank by id
        for (int i = 0; i < ids.size(); i++) items.put(ids.get(i), 10_000 + 7 * shuffled.get(i));
        List<Movie> relabelledMovies = new ArrayList<>();
        for (Movie m : movies) relabelledMovies.add(new Movie(items.get(m.itemId), m.title, m.genres));
        long shift = 3_000L * 86_400_000L + 12_345L;
        EventLog relabelled = new EventLog(events.size());
        for (int e = 0; e < events.size(); e++) {
            relabelled.add(
                    users.get(events.userId(e)),
                    items.get(events.itemId(e)),
                    events.rating(e),
                    events.timestamp(e) + shift);
        }
        ItemCatalog relabelledCatalog = ItemCatalog.of(relabelledMovies);

        SeedSummary original = new SeedSummary();
        SeedSummary moved = new SeedSummary();
        for (int s = 0; s < 3; s++) {
            StreamrecConfig seeded = EvaluateCli.withSeedOffset(CONFIG, s);
            original.add(OnlineReplay.run(events, catalog, seeded, POLICIES)
                    .evaluator()
                    .cumulative());
            moved.add(OnlineReplay.run(relabelled, relabelledCatalog, seeded, POLICIES)
                    .evaluator()
                    .cumulative());
        }
        for (String metric : List.of("ndcg@10", "hit@10")) {
            Map<String, SeedSummary.Interval> a = original.intervals(metric);
            Map<String, SeedSummary.Interval> b = moved.intervals(metric);
            assertThat(b.keySet()).isEqualTo(a.keySet());
            for (String policy : a.keySet()) {
                SeedSummary.Interval x = a.get(policy), y = b.get(policy);
                // the difference of the means within its 95 % interval (the two half-widths combined), plus 3 % of
                // the mean for ties: slates break equal scores by item id, and relabelling reorders those ties
                double allowed = Math.hypot(x.halfWidth(), y.halfWidth()) + 0.03 * x.mean();
                System.out.printf(
                        "[label-invariance] %-10s %-8s original %s relabelled %s (allowed ±%.4f)%n",
                        policy, metric, x, y, allowed);
                assertThat(Math.abs(x.mean() - y.mean()))
                        .as("%s %s: original %s, relabelled %s", policy, metric, x, y)
                        .isLessThanOrEqualTo(allowed);
            }
        }
    }

    private static Map<Integer, Integer> userPermutation(EventLog log, Random rnd) {
        List<Integer> ids = new ArrayList<>();
        Map<Integer, Integer> seen = new HashMap<>();
        for (int e = 0; e < log.size(); e++) {
            int id = log.userId(e);
            if (seen.putIfAbsent(id, id) == null) ids.add(id);
        }
        List<Integer> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, rnd);
        Map<Integer, Integer> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) out.put(ids.get(i), 50_000 + 3 * shuffled.get(i));
        return out;
    }
}
