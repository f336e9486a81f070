package io.streamrec.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.Experience;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.Rng;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.ScoredSlate;
import io.streamrec.serving.SlateExplorer;
import io.streamrec.testutil.TestSettings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How serving decides what to swap in from the actor-weights topic. */
class WeightsFollowerTest {
    @Test
    void swapsNewerFullSnapshotsAndDeltasOnTheirBaseOnlyAndRejectsCorruptStaleOrMisshapenRecords() {
        ActorSettings s = TestSettings.actor()
                .embeddingDim(4)
                .hiddenDim(8)
                .windowSize(2)
                .k(3)
                .seed(1)
                .build();
        ItemCatalog catalog = ItemCatalog.range(10);
        ActorWeights v0 = ActorWeights.seeded(s, catalog);
        LearnerSettings ls = TestSettings.learner();
        ls.batchSize = 4;
        ls.warmup = 4;
        ls.criticHiddenDim = 8;
        ls.replayRatio = 4; // a step of 4 samples per transition once warm
        DrrLearner learner = new DrrLearner(ls, v0);
        Rng r = new Rng(2);
        byte[][] published = new byte[3][];
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 6; i++) {
                learner.observe(new Experience(
                        1 + r.nextInt(3),
                        new int[] {1 + r.nextInt(10)},
                        new float[] {0.1f, -0.2f, 0.3f, 0f},
                        (float) r.nextDouble(),
                        new int[] {2},
                        false));
            }
            DrrLearner.Publication pub = learner.publish(2); // v1 full, v2 delta, v3 full
            published[p] =
                    pub.isFull() ? ActorWeightsCodec.encode(pub.full()) : ActorWeightsCodec.encodeDelta(pub.delta());
        }
        ActorWeights v1 = WeightsFollower.next(v0, published[0]);
        assertThat(v1.version()).isEqualTo(1);
        ActorWeights v2 = WeightsFollower.next(v1, published[1]);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(WeightsFollower.next(v0, published[1]))
                .as("delta on a missed base")
                .isNull();
        assertThatThrownBy(() -> WeightsFollower.next(v2, published[0]))
                .as("older full snapshot")
                .hasMessageContaining("stale actor weights v1");
        assertThatThrownBy(() -> WeightsFollower.next(v2, published[1]))
                .as("a delta already applied")
                .hasMessageContaining("stale actor weights v2");
        ActorWeights otherShape = ActorWeights.seeded(
                        TestSettings.actor()
                                .embeddingDim(6)
                                .hiddenDim(8)
                                .windowSize(2)
                                .k(3)
                                .seed(1)
                                .build(),
                        catalog)
                .withVersion(9);
        assertThatThrownBy(() -> WeightsFollower.next(v2, ActorWeightsCodec.encode(otherShape)))
                .as("another shape")
                .hasMessageContaining("has shape d=6");
        assertThat(WeightsFollower.next(v0, published[2]).version())
                .as("a full snapshot heals a gap")
                .isEqualTo(3);
        // A flipped digit breaks the checksum: rejected, never served.
        String json = new String(published[2], StandardCharsets.UTF_8);
        int at = json.indexOf("\"values\":[") + 11;
        char c = json.charAt(at);
        String corrupt = json.substring(0, at) + (c == '1' ? '2' : '1') + json.substring(at + 1);
        assertThatThrownBy(() -> WeightsFollower.next(v2, corrupt.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void explorationMarksReplacedItemsNeverRatedOrDuplicatedAndDecays() {
        ItemCatalog catalog = ItemCatalog.range(50);
        SlateExplorer e = new SlateExplorer(1.0, 0.0, 10, 3).forSubtask(0);
        ScoredSlate slate = new ScoredSlate(
                4, new int[] {0, 1, 2}, new int[] {1, 2, 3}, new float[] {3f, 2f, 1f}, new float[] {0f});
        int[] rated = {4, 5, 6, 7, 8, 9, 10};
        SlateExplorer.Explored first = e.explore(slate, rated, catalog);
        assertThat(first.explored()).containsExactly(true, true, true);
        assertThat(first.itemIds()).doesNotHaveDuplicates().doesNotContain(rated);
        for (int j = 0; j < 3; j++)
            assertThat(catalog.itemIdAt(first.itemIndices()[j])).isEqualTo(first.itemIds()[j]);
        for (int i = 0; i < 10; i++) e.explore(slate, rated, catalog);
        assertThat(e.epsilon()).isZero();
        assertThat(e.explore(slate, rated, catalog).explored()).containsExactly(false, false, false);
    }
}
