package io.streamrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.StateRepresentation;
import io.streamrec.schema.Movie;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.testutil.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The async function driven directly (no Flink runtime): batching, order, swap, timeout, close. */
class ActorScoringFunctionTest {
    private static final int ITEMS = 80;
    private static final ActorSettings SETTINGS = TestSettings.actor()
            .embeddingDim(16)
            .hiddenDim(32)
            .k(10)
            .batchSize(16)
            .maxBatchWaitMillis(5)
            .build();
    private static final ItemCatalog CATALOG = catalogWithMetadata(ITEMS);

    private final ConcurrentLinkedQueue<String> completionOrder = new ConcurrentLinkedQueue<>();
    private ActorScoringFunction function;

    @AfterEach
    void closeFunction() throws Exception {
        if (function != null) function.close();
    }

    @Test
    void everyRequestGetsOneSlateInInputOrderFromMicroBatches() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        List<RecommendationRequest> requests = ActorTestData.randomRequests(400, ITEMS, 5, 1);
        long start = System.currentTimeMillis();
        List<Future> futures = submit(requests);

        for (int i = 0; i < requests.size(); i++) {
            RecommendationRequest req = requests.get(i);
            Collection<Recommendation> result = futures.get(i).get(30, TimeUnit.SECONDS);
            assertThat(result).hasSize(1);
            Recommendation rec = result.iterator().next();
            assertThat(rec.requestId).isEqualTo(req.requestId);
            assertThat(rec.userId).isEqualTo(req.userId);
            assertThat(rec.eventTime).isEqualTo(req.eventTime);
            assertThat(rec.emitTime).isBetween(start, System.currentTimeMillis());
            assertThat(rec.policy).isEqualTo("drr");
            assertThat(rec.modelVersion).isZero();
            List<Integer> ids = rec.items.stream().map(it -> it.itemId).toList();
            assertThat(ids)
                    .hasSize(10)
                    .doesNotHaveDuplicates()
                    .allMatch(id -> !ActorTestData.contains(req.ratedItems, id));
            for (RecommendedItem item : rec.items) {
                assertThat(item.title).isEqualTo("Movie " + item.itemId);
                assertThat(item.genres).containsExactly(item.itemId % 2 == 0 ? "Drama" : "Comedy");
                assertThat(item.explored).isFalse();
            }
        }
        assertThat(completionOrder)
                .containsExactlyElementsOf(
                        requests.stream().map(r -> r.requestId).toList());
        assertThat(function.batchesScored()).isLessThan(requests.size()).isGreaterThanOrEqualTo(requests.size() / 16);
    }

    /** actor.state.representation=p (and u) end to end: DRR-p/DRR-u weights, block and k distinct unrated items. */
    @Test
    void drrPAndDrrUServeKDistinctUnratedItems() throws Exception {
        for (StateRepresentation rep : new StateRepresentation[] {StateRepresentation.P, StateRepresentation.U}) {
            ActorSettings settings =
                    SETTINGS.toBuilder().stateRepresentation(rep).build();
            ActorScoringFunction f = open(new ActorScoringFunction(settings, CATALOG));
            try {
                assertThat(f.currentModel().weights().stateRepresentation()).isEqualTo(rep);
                assertThat(f.currentModel().weights().tensorShape(ActorWeights.FC1_WEIGHT))
                        .containsExactly(32, rep.stateDim(16, 5));
                List<RecommendationRequest> requests = ActorTestData.randomRequests(40, ITEMS, 5, 11);
                List<Future> futures = submit(f, requests);
                for (int i = 0; i < requests.size(); i++) {
                    RecommendationRequest req = requests.get(i);
                    Recommendation rec =
                            futures.get(i).get(30, TimeUnit.SECONDS).iterator().next();
                    assertThat(rec.requestId).isEqualTo(req.requestId);
                    List<Integer> ids = rec.items.stream().map(it -> it.itemId).toList();
                    assertThat(ids)
                            .as(rep + " " + req.requestId)
                            .hasSize(10)
                            .doesNotHaveDuplicates()
                            .allMatch(id -> !ActorTestData.contains(req.ratedItems, id));
                }
            } finally {
                f.close();
            }
        }
    }

    @Test
    void swapChangesTheModelOfLaterRequestsAndClosesTheOldOne() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        List<RecommendationRequest> requests = ActorTestData.randomRequests(60, ITEMS, 5, 2);
        ServingModel first = function.currentModel();
        List<Future> before = submit(requests.subList(0, 30));
        for (Future f : before)
            assertThat(f.get(30, TimeUnit.SECONDS).iterator().next().modelVersion)
                    .isZero();

        ActorWeights next = ActorWeights.seeded(SETTINGS.toBuilder().seed(99).build(), CATALOG)
                .withVersion(7);
        function.swap(next);
        assertThat(function.currentVersion()).isEqualTo(7);
        List<Future> after = submit(requests.subList(30, 60));
        for (Future f : after)
            assertThat(f.get(30, TimeUnit.SECONDS).iterator().next().modelVersion)
                    .isEqualTo(7);
        assertThat(first.isClosed()).isTrue(); // closed by the inference thread once it moved on
        assertThat(function.currentModel().isClosed()).isFalse();

        // Two swaps in a row: the skipped model is closed too, the last one serves.
        ServingModel v7 = function.currentModel();
        function.swap(next.withVersion(8));
        ServingModel v8 = function.currentModel();
        function.swap(next.withVersion(9));
        assertThat(submit(requests.subList(0, 1))
                        .get(0)
                        .get(30, TimeUnit.SECONDS)
                        .iterator()
                        .next()
                        .modelVersion)
                .isEqualTo(9);
        assertThat(v7.isClosed()).isTrue();
        assertThat(v8.isClosed()).isTrue();
    }

    @Test
    void aSwapThatDoesNotFitIsRejectedAndServingContinues() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        ActorWeights wrongItems =
                ActorWeights.seeded(SETTINGS, ItemCatalog.range(ITEMS + 1)).withVersion(3);
        assertThatThrownBy(() -> function.swap(wrongItems))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item rows");
        assertThat(function.currentVersion()).isZero();
        assertThat(submit(ActorTestData.randomRequests(1, ITEMS, 5, 3)).get(0).get(30, TimeUnit.SECONDS))
                .hasSize(1);
    }

    @Test
    void startsFromTheWeightsFileWhenConfigured(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.json");
        ActorWeightsCodec.writeFile(ActorWeights.seeded(SETTINGS, CATALOG).withVersion(41), file);
        function = open(new ActorScoringFunction(
                SETTINGS.toBuilder().weightsFile(file.toString()).build(), CATALOG));
        Recommendation rec = submit(ActorTestData.randomRequests(1, ITEMS, 5, 4))
                .get(0)
                .get(30, TimeUnit.SECONDS)
                .iterator()
                .next();
        assertThat(rec.modelVersion).isEqualTo(41);
    }

    @Test
    void aUserWhoRatedEverythingStillGetsOneAnswerWithAnEmptySlate() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        int[] all = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) all[i] = i + 1;
        RecommendationRequest req = new RecommendationRequest("all", 1, 1, 5f, 1L, new int[] {1, 2}, all);
        var answer = submit(List.of(req)).get(0).get(30, TimeUnit.SECONDS);
        assertThat(answer).hasSize(1);
        Recommendation rec = answer.iterator().next();
        assertThat(rec.requestId).isEqualTo("all");
        assertThat(rec.items).isEmpty();
        assertThat(io.streamrec.schema.TopicSchemas.violations("recommendations", io.streamrec.schema.Json.write(rec)))
                .isEmpty();
    }

    @Test
    void aFailingBatchFailsItsRequestsAndTheThreadKeepsServing() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        List<RecommendationRequest> requests = ActorTestData.randomRequests(8, ITEMS, 5, 6);
        assertThat(submit(requests.subList(0, 1)).get(0).get(30, TimeUnit.SECONDS))
                .hasSize(1);
        function.currentModel().close(); // pull the native arrays from under the scorer: the engine call must fail

        for (Future f : submit(requests.subList(1, 4))) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .hasMessageContaining("actor v0 failed to score a batch");
        }
        function.swap(ActorWeights.seeded(SETTINGS, CATALOG).withVersion(5));
        for (Future f : submit(requests.subList(4, 8))) {
            assertThat(f.get(30, TimeUnit.SECONDS).iterator().next().modelVersion)
                    .isEqualTo(5);
        }
    }

    @Test
    void timeoutFailsTheRequestWithAReason() throws Exception {
        function = open(new ActorScoringFunction(SETTINGS, CATALOG));
        Future f = new Future("t");
        function.timeout(ActorTestData.request("late-1", 5, new int[0]), f);
        assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("late-1")
                .hasMessageContaining("model v0");
    }

    @Test
    void closeStopsTheThreadAndFreesTheModels() throws Exception {
        ActorScoringFunction f = open(new ActorScoringFunction(SETTINGS, CATALOG));
        ServingModel model = f.currentModel();
        submit(f, ActorTestData.randomRequests(5, ITEMS, 5, 5)).get(4).get(30, TimeUnit.SECONDS);
        f.close();
        assertThat(model.isClosed()).isTrue();
        Future late = new Future("late");
        f.asyncInvoke(ActorTestData.request("late", 1, new int[0]), late);
        assertThatThrownBy(() -> late.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.swap(ActorWeights.seeded(SETTINGS, CATALOG)))
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ helpers

    private static ActorScoringFunction open(ActorScoringFunction f) throws Exception {
        f.open(DefaultOpenContext.INSTANCE);
        return f;
    }

    private List<Future> submit(List<RecommendationRequest> requests) {
        return submit(function, requests);
    }

    private List<Future> submit(ActorScoringFunction f, List<RecommendationRequest> requests) {
        List<Future> futures = new ArrayList<>();
        for (RecommendationRequest r : requests) {
            Future future = new Future(r.requestId);
            futures.add(future);
            f.asyncInvoke(r, future);
        }
        return futures;
    }

    private static ItemCatalog catalogWithMetadata(int n) {
        List<Movie> movies = new ArrayList<>();
        for (int id = n; id >= 1; id--)
            movies.add(new Movie(id, "Movie " + id, List.of(id % 2 == 0 ? "Drama" : "Comedy")));
        return ItemCatalog.of(movies);
    }

    /** A ResultFuture that records the order in which requests complete. */
    private final class Future implements ResultFuture<Recommendation> {
        private final String requestId;
        private final CompletableFuture<Collection<Recommendation>> result = new CompletableFuture<>();

        Future(String requestId) {
            this.requestId = requestId;
        }

        Collection<Recommendation> get(long timeout, TimeUnit unit) throws Exception {
            return result.get(timeout, unit);
        }

        @Override
        public void complete(Collection<Recommendation> values) {
            completionOrder.add(requestId);
            result.complete(values);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void complete(CollectionSupplier<Recommendation> supplier) {
            try {
                complete(supplier.get());
            } catch (Exception e) {
                completeExceptionally(e);
            }
        }
    }
}
