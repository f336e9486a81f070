package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.ingest.RatingParser;
import io.streamrec.ingest.RatingRecord;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.testutil.CollectingSink;
import io.streamrec.testutil.ListSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole dataflow on a MiniCluster with in-memory source and sinks (RocksDB state, real DJL actor). */
class StreamrecJobTest {

    /**
     * Snapshots are compressed unless switched off: Flink 2.2 restores uncompressed operator state one byte per read
     * call, which kept the learner restoring for minutes after a lost TaskManager (RecoveryTest restores compressed
     * state through three failures and a savepoint; ./bench recovery times it).
     */
    @Test
    void snapshotsAreCompressedByDefault() {
        assertThat(StreamrecJob.flinkConfiguration(StreamrecConfig.fromArgs(new String[0]))
                        .get(ExecutionOptions.SNAPSHOT_COMPRESSION))
                .isTrue();
        assertThat(StreamrecJob.flinkConfiguration(
                                StreamrecConfig.fromArgs(new String[] {"--checkpoint.compression", "false"}))
                        .get(ExecutionOptions.SNAPSHOT_COMPRESSION))
                .isFalse();
    }

    /** Closed-loop cohorts read every user's cohort slate from policy-slates: without it users would wait forever. */
    @Test
    void cohortsWithoutEveryUsersPolicySlatesAreRefused() {
        for (String[] args : new String[][] {
            {"--loop.cohorts", "true", "--eval.sample", "1"},
            {"--loop.cohorts", "true", "--eval.publish.slates", "true", "--eval.sample", "0.5"}
        }) {
            StreamrecConfig config = StreamrecConfig.fromArgs(args);
            StreamrecJob job = new StreamrecJob(
                    ListSource.of(List.<RatingRecord>of(), RatingRecord.class),
                    new CollectingSink<>(),
                    new CollectingSink<>(),
                    new CollectingSink<>(),
                    config,
                    ItemCatalog.range(10),
                    null);
            assertThatThrownBy(() -> job.build(StreamExecutionEnvironment.getExecutionEnvironment()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("loop.cohorts needs eval.publish.slates=true and eval.sample=1");
        }
    }

    @Test
    void everyValidEventYieldsOneSlateOfUnratedItemsAndBadOnesGoToTheDeadLetters(@TempDir Path checkpoints)
            throws Exception {
        int items = 60;
        SplittableRandom rnd = new SplittableRandom(7);
        List<RatingRecord> input = new ArrayList<>();
        List<RatingEvent> valid = new ArrayList<>();
        Map<Integer, Set<Integer>> ratedByUser = new HashMap<>();
        long ts = 900_000_000_000L;
        for (int i = 0; i < 600; i++) {
            int user = 1 + rnd.nextInt(12);
            Set<Integer> rated = ratedByUser.computeIfAbsent(user, u -> new HashSet<>());
            int item;
            do {
                item = 1 + rnd.nextInt(items);
            } while (rated.contains(item) && rated.size() < items);
            rated.add(item);
            RatingEvent e = new RatingEvent(user, item, 1 + rnd.nextInt(5), ts += 1000);
            valid.add(e);
            input.add(RatingParser.parse(Json.write(e), "ratings", null, null));
            if (i % 50 == 0) {
                input.add(RatingParser.parse(
                        "{\"userId\":\"oops\"}".getBytes(StandardCharsets.UTF_8), "ratings", null, null));
            }
        }
        int bad = (int) input.stream().filter(r -> !r.isValid()).count();

        StreamrecConfig config = StreamrecConfig.fromArgs(
                "--parallelism",
                "1",
                "--k",
                "5",
                "--state.backend",
                "rocksdb",
                "--checkpoint.dir",
                checkpoints.toUri().toString(),
                "--actor.embedding.dim",
                "16",
                "--actor.hidden.dim",
                "32");
        CollectingSink<Recommendation> recs = new CollectingSink<>();
        CollectingSink<DeadLetter> dlq = new CollectingSink<>();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
        new StreamrecJob(ListSource.of(input, RatingRecord.class), recs, dlq, config, ItemCatalog.range(items))
                .build(env);
        env.execute("streamrec-test");

        List<Recommendation> out = recs.results();
        assertThat(out).hasSize(valid.size());
        assertThat(dlq.results()).hasSize(bad).allSatisfy(d -> assertThat(d.reason)
                .contains("userId"));
        assertThat(out.stream().map(r -> r.requestId).collect(Collectors.toSet()))
                .isEqualTo(valid.stream().map(RatingEvent::requestId).collect(Collectors.toSet()));

        // Replay the events in order and check each slate against the user's ratings up to that event.
        Map<String, Recommendation> byRequest = out.stream().collect(Collectors.toMap(r -> r.requestId, r -> r));
        Map<Integer, Set<Integer>> seen = new HashMap<>();
        for (RatingEvent e : valid) {
            Set<Integer> rated = seen.computeIfAbsent(e.userId, u -> new HashSet<>());
            rated.add(e.itemId);
            Recommendation r = byRequest.get(e.requestId());
            List<Integer> ids = r.items.stream().map(i -> i.itemId).toList();
            assertThat(ids).as("slate of " + e).doesNotHaveDuplicates().hasSize(Math.min(5, items - rated.size()));
            assertThat(ids).as("slate of " + e).doesNotContainAnyElementsOf(rated);
            assertThat(r.userId).isEqualTo(e.userId);
            assertThat(r.eventTime).isEqualTo(e.timestamp);
            assertThat(r.policy).isEqualTo("drr");
            assertThat(TopicSchemas.violations("recommendations", Json.write(r)))
                    .isEmpty();
            for (int j = 1; j < r.items.size(); j++) {
                RecommendedItem prev = r.items.get(j - 1), cur = r.items.get(j);
                assertThat(prev.score).isGreaterThanOrEqualTo(cur.score);
            }
        }
    }
}
