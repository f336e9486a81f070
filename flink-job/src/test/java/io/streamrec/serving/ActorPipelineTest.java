package io.streamrec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.testutil.TestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The actor inside a real (MiniCluster) Flink pipeline: fromData → unorderedWait(actor) → collect. */
class ActorPipelineTest {
    private static final int ITEMS = 120;
    private static final ItemCatalog CATALOG = ItemCatalog.range(ITEMS);
    private static final ActorSettings SETTINGS = TestSettings.actor()
            .embeddingDim(16)
            .hiddenDim(32)
            .k(10)
            .batchSize(32)
            .build();

    @Test
    void oneSlatePerRequestInInputOrder() throws Exception {
        List<RecommendationRequest> requests = ActorTestData.randomRequests(500, ITEMS, 5, 21);
        List<Recommendation> out = run(requests, new ActorScoringFunction(SETTINGS, CATALOG), 256);

        assertThat(out)
                .extracting(r -> r.requestId)
                .containsExactlyElementsOf(
                        requests.stream().map(r -> r.requestId).toList());
        for (int i = 0; i < out.size(); i++) {
            RecommendationRequest req = requests.get(i);
            Recommendation rec = out.get(i);
            assertThat(rec.items)
                    .extracting(it -> it.itemId)
                    .hasSize(10)
                    .doesNotHaveDuplicates()
                    .allMatch(id -> !ActorTestData.contains(req.ratedItems, id));
            assertThat(rec.modelVersion).isZero();
            assertThat(TopicSchemas.violations("recommendations", Json.write(rec)))
                    .isEmpty();
        }
    }

    @Test
    void aSwapMidStreamChangesTheVersionOfLaterSlates() throws Exception {
        List<RecommendationRequest> requests = ActorTestData.randomRequests(120, ITEMS, 5, 22);
        String marker = requests.get(60).requestId;
        // Capacity 1: each request is answered before the next is invoked, so the cut is exact.
        List<Recommendation> out = run(requests, new SwapAtMarker(SETTINGS, CATALOG, marker), 1);

        assertThat(out).hasSize(120);
        assertThat(out.subList(0, 60))
                .allSatisfy(r -> assertThat(r.modelVersion).isZero());
        assertThat(out.subList(60, 120))
                .allSatisfy(r -> assertThat(r.modelVersion).isEqualTo(7));
        assertThat(out)
                .extracting(r -> r.requestId)
                .containsExactlyElementsOf(
                        requests.stream().map(r -> r.requestId).toList());
        // The slates come from the weights their version names: each equals the plain-Java reference's top 10 under
        // v0 before the swap and under v7 after it — and v7's slates are other slates, not v0's relabelled.
        ReferenceActor v0 = new ReferenceActor(ActorWeights.seeded(SETTINGS, CATALOG));
        ReferenceActor v7 = new ReferenceActor(
                ActorWeights.seeded(SETTINGS.toBuilder().seed(1234).build(), CATALOG));
        int changed = 0;
        for (int i = 0; i < out.size(); i++) {
            List<Integer> served = out.get(i).items.stream().map(x -> x.itemId).toList();
            List<Integer> before = topK(v0, requests.get(i), SETTINGS.k());
            List<Integer> after = topK(v7, requests.get(i), SETTINGS.k());
            assertThat(served).as("slate %d", i).isEqualTo(i < 60 ? before : after);
            if (i >= 60 && !before.equals(after)) changed++;
        }
        // (an empty window gives both versions the zero state and so the same slate: 7 of the 60 requests here)
        assertThat(changed)
                .as("slates after the swap that v0 would not have served")
                .isGreaterThanOrEqualTo(50);
    }

    /** The reference's k best unrated items, best first. */
    private static List<Integer> topK(ReferenceActor reference, RecommendationRequest request, int k) {
        double[] scores = reference.scores(request);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            int id = CATALOG.itemIdAt(i);
            if (!ActorTestData.contains(request.ratedItems, id)) ids.add(i);
        }
        ids.sort((a, b) -> Double.compare(scores[b], scores[a]));
        return ids.subList(0, k).stream().map(CATALOG::itemIdAt).toList();
    }

    private static List<Recommendation> run(
            List<RecommendationRequest> requests, ActorScoringFunction function, int capacity) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<RecommendationRequest> in =
                env.fromData(RecommendationRequest.class, requests.toArray(RecommendationRequest[]::new));
        DataStream<Recommendation> recs = AsyncDataStream.unorderedWait(in, function, 60, TimeUnit.SECONDS, capacity);
        List<Recommendation> out = new ArrayList<>();
        try (CloseableIterator<Recommendation> it = recs.executeAndCollect("actor-pipeline-test")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** Swaps to a differently seeded v7 when it sees the marker request, before scoring it. */
    static final class SwapAtMarker extends ActorScoringFunction {
        private static final long serialVersionUID = 1L;
        private final ActorSettings settings;
        private final ItemCatalog catalog;
        private final String marker;

        SwapAtMarker(ActorSettings settings, ItemCatalog catalog, String marker) {
            super(settings, catalog);
            this.settings = settings;
            this.catalog = catalog;
            this.marker = marker;
        }

        @Override
        public void asyncInvoke(RecommendationRequest request, ResultFuture<Recommendation> resultFuture) {
            if (marker.equals(request.requestId)) {
                swap(ActorWeights.seeded(settings.toBuilder().seed(1234).build(), catalog)
                        .withVersion(7));
            }
            super.asyncInvoke(request, resultFuture);
        }
    }
}
