package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.UserSlice;
import io.streamrec.ingest.RatingParser;
import io.streamrec.ingest.RatingRecord;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.testutil.CollectingSink;
import io.streamrec.testutil.ListSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online evaluation inside the job on a MiniCluster: every policy, DRR included, judged on the same events. */
class EvaluationJobTest {

    @Test
    void everyPolicyIsEvaluatedOnEveryEventAndTheMetricsMatchTheSchema(@TempDir Path checkpoints) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(60, 300, 2_000, 5));
        EventLog events = data.events().sortByTime();
        Run run = run(
                input(events),
                data,
                "streamrec-eval-test",
                "--parallelism",
                "2",
                "--k",
                "10",
                "--state.backend",
                "rocksdb",
                "--checkpoint.dir",
                checkpoints.toUri().toString(),
                "--actor.embedding.dim",
                "16",
                "--actor.hidden.dim",
                "32",
                "--eval.window.events",
                "500",
                "--eval.publish.slates",
                "true",
                "--eval.sample",
                "1");

        // serving's sink keeps DRR only; the policy-slates sink has every policy's slate for every event, tagged
        assertThat(run.drrOnly()).hasSize(events.size()).allMatch(r -> r.policy.equals("drr"));
        Map<String, Long> slates =
                run.slates().stream().collect(Collectors.groupingBy(r -> r.policy, Collectors.counting()));
        assertThat(slates)
                .containsOnlyKeys("random", "popularity", "itemknn", "sr", "vsknn", "mf", "linucb", "genreq", "drr");
        assertThat(slates.values()).allMatch(n -> n == events.size());
        for (Recommendation r : run.slates()) {
            assertThat(r.items.stream().map(i -> i.itemId).toList())
                    .as(r.toString())
                    .doesNotHaveDuplicates()
                    .hasSizeLessThanOrEqualTo(10);
            assertThat(TopicSchemas.violations("recommendations", Json.write(r)))
                    .isEmpty();
        }

        List<PolicyMetrics> out = run.metrics();
        for (PolicyMetrics m : out)
            assertThat(TopicSchemas.violations("metrics", Json.write(m)))
                    .as(m.toString())
                    .isEmpty();
        Map<String, PolicyMetrics> last = new LinkedHashMap<>();
        for (PolicyMetrics m : out)
            if (m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE))
                last.merge(m.policy, m, (a, b) -> b.eventsSeen >= a.eventsSeen && b.count >= a.count ? b : a);
        assertThat(last)
                .containsOnlyKeys("random", "popularity", "itemknn", "sr", "vsknn", "mf", "linucb", "genreq", "drr");
        assertThat(last.values()).allSatisfy(m -> {
            assertThat(m.count).isEqualTo(events.size());
            assertThat(m.values)
                    .containsKeys(
                            "precision@10", "recall@10", "ndcg@10", "hit@10", "mrr", "reward", "coverage", "novelty");
        });
        assertThat(out).anyMatch(m -> m.scope.equals(PolicyMetrics.SCOPE_EVENTS));
        assertThat(out).anyMatch(m -> m.scope.equals(PolicyMetrics.SCOPE_DAY));
        assertThat(last.get("popularity").values.get("hit@10"))
                .isGreaterThan(last.get("random").values.get("hit@10"));
    }

    /**
     * {@code eval.sample}: slates of the classical policies, and the judging, only for a hash slice of users; serving
     * still answers every event, and every policy still learns from every event — so the slice's slates are the very
     * ones a run judging everybody produces (the deterministic policies, compared slate by slate).
     */
    @Test
    void aSliceOfUsersIsJudgedWhileEveryPolicyLearnsFromEveryEvent(@TempDir Path checkpoints) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(60, 300, 2_000, 5));
        EventLog events = data.events().sortByTime();
        List<RatingRecord> input = input(events);
        UserSlice slice = new UserSlice(0.3);
        long sliced = java.util.stream.IntStream.range(0, events.size())
                .filter(i -> slice.contains(events.userId(i)))
                .count();
        assertThat(sliced).isBetween(100L, 1_900L);

        Run all = slicedRun(input, data, checkpoints.resolve("all"), "1");
        Run part = slicedRun(input, data, checkpoints.resolve("part"), "0.3");

        assertThat(part.drrOnly).hasSize(events.size());
        // The policy-slates topic has serving's DRR slates for every event, the baselines' for the slice only.
        assertThat(part.slates.stream().filter(r -> r.policy.equals("drr"))).hasSize(events.size());
        assertThat(part.slates.stream().filter(r -> !r.policy.equals("drr"))).allMatch(r -> slice.contains(r.userId));
        Map<String, Long> counts =
                part.slates.stream().collect(Collectors.groupingBy(r -> r.policy, Collectors.counting()));
        for (String policy : List.of("random", "popularity", "itemknn", "sr", "vsknn", "mf", "linucb", "genreq"))
            assertThat(counts.get(policy)).as(policy).isEqualTo(sliced);
        for (String policy : List.of("popularity", "itemknn")) {
            Map<String, List<Integer>> expected = new LinkedHashMap<>();
            for (Recommendation r : all.slates)
                if (r.policy.equals(policy) && slice.contains(r.userId))
                    expected.put(
                            r.requestId, r.items.stream().map(x -> x.itemId).toList());
            Map<String, List<Integer>> actual = new LinkedHashMap<>();
            for (Recommendation r : part.slates)
                if (r.policy.equals(policy))
                    actual.put(r.requestId, r.items.stream().map(x -> x.itemId).toList());
            assertThat(actual).as(policy + " slates of the slice").isEqualTo(expected);
        }
        Map<String, PolicyMetrics> last = new LinkedHashMap<>();
        for (PolicyMetrics m : part.metrics)
            if (m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE))
                last.merge(m.policy, m, (a, b) -> b.eventsSeen >= a.eventsSeen && b.count >= a.count ? b : a);
        assertThat(last).containsKeys("popularity", "drr");
        assertThat(last.values()).allSatisfy(m -> assertThat(m.count).isEqualTo(sliced));
    }

    private record Run(List<Recommendation> drrOnly, List<Recommendation> slates, List<PolicyMetrics> metrics) {}

    private static List<RatingRecord> input(EventLog events) {
        List<RatingRecord> input = new ArrayList<>();
        for (int i = 0; i < events.size(); i++)
            input.add(RatingParser.parse(Json.write(events.get(i)), "ratings", null, null));
        return input;
    }

    private static Run slicedRun(
            List<RatingRecord> input, SyntheticGenerator.SyntheticData data, Path checkpoints, String sample)
            throws Exception {
        // One subtask everywhere: the global policies then see the events in the same order in both runs.
        return run(
                input,
                data,
                "streamrec-eval-slice-" + sample,
                "--parallelism",
                "1",
                "--checkpoint.dir",
                checkpoints.toUri().toString(),
                "--actor.embedding.dim",
                "16",
                "--actor.hidden.dim",
                "32",
                "--eval.publish.slates",
                "true",
                "--eval.sample",
                sample);
    }

    /** The job on a MiniCluster over {@code input}: serving's slates, every policy's slates, the metric records. */
    private static Run run(List<RatingRecord> input, SyntheticGenerator.SyntheticData data, String name, String... args)
            throws Exception {
        StreamrecConfig config = StreamrecConfig.fromArgs(args);
        CollectingSink<Recommendation> drrOnly = new CollectingSink<>();
        CollectingSink<Recommendation> slates = new CollectingSink<>();
        CollectingSink<PolicyMetrics> metrics = new CollectingSink<>();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
        new StreamrecJob(
                        ListSource.of(input, RatingRecord.class),
                        drrOnly,
                        new CollectingSink<>(),
                        metrics,
                        config,
                        ItemCatalog.of(data.movies()),
                        null)
                .withPolicySlates(slates)
                .build(env);
        env.execute(name);
        return new Run(drrOnly.results(), slates.results(), metrics.results());
    }
}
