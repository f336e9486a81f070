package io.streamrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.testutil.TestSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two-stage serving (retrieve from the item index, re-rank by the actor) against whole-catalogue scoring. */
class TwoStageServingTest {
    private static final ActorSettings SETTINGS = TestSettings.actor()
            .embeddingDim(16)
            .hiddenDim(32)
            .windowSize(5)
            .k(10)
            .seed(3)
            .build();
    private static final int ITEMS = 400;

    /** A beam as wide as the catalogue searches the whole graph: retrieval is then exact. */
    private static final Retrieval EXHAUSTIVE = new Retrieval(60, ITEMS, 16, 100, 1, 7);

    @Test
    void anExhaustiveRetrievalServesTheWholeCatalogueSlates() throws Exception {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, catalog), 11);
        List<RecommendationRequest> batch = new ArrayList<>(ActorTestData.randomRequests(30, ITEMS, 5, 5));
        float[] noise = new float[batch.size() * 16];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (rnd.nextGaussian() * 0.3);
        try (ServingModel full = new ServingModel(weights, catalog, 10);
                ActorScorer fullScorer = full.newScorer();
                ServingModel twoStage = new ServingModel(weights, catalog, 10, EXHAUSTIVE, null);
                ActorScorer twoStageScorer = twoStage.newScorer()) {
            assertThat(twoStage.index()).isNotNull();
            List<ScoredSlate> a = fullScorer.score(batch, noise);
            List<ScoredSlate> b = twoStageScorer.score(batch, noise);
            for (int r = 0; r < batch.size(); r++) {
                assertThat(b.get(r).itemIds()).containsExactly(a.get(r).itemIds());
                assertThat(b.get(r).greedyItemIds()).containsExactly(a.get(r).greedyItemIds());
                assertThat(b.get(r).action()).containsExactly(a.get(r).action(), offset(1e-5f));
                for (int j = 0; j < b.get(r).size(); j++) {
                    assertThat(b.get(r).scores()[j]).isCloseTo(a.get(r).scores()[j], offset(1e-4f));
                }
            }
        }
    }

    @Test
    void aUserWhoRatedTheTopItemsStillGetsAFullSlateOfOthers() throws Exception {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, catalog), 12);
        // Narrow retrieval: 20 candidates for a slate of 10, beam 20.
        Retrieval narrow = new Retrieval(20, 20, 16, 100, 1, 7);
        try (ServingModel full = new ServingModel(weights, catalog, 10);
                ActorScorer fullScorer = full.newScorer();
                ServingModel twoStage = new ServingModel(weights, catalog, 10, narrow, null);
                ActorScorer scorer = twoStage.newScorer()) {
            // the exact top 40 of this user, all rated: the index must skip them while it searches
            int[] top40 = new int[0];
            for (int round = 0; round < 4; round++) {
                RecommendationRequest r = ActorTestData.request("probe", 3, new int[] {7, 8, 9}, top40);
                int[] next = fullScorer.score(List.of(r)).get(0).itemIds();
                top40 = concatSorted(top40, next);
            }
            assertThat(top40).hasSize(40);
            RecommendationRequest rated = ActorTestData.request("probe", 3, new int[] {7, 8, 9}, top40);
            ScoredSlate slate = scorer.score(List.of(rated)).get(0);
            assertThat(slate.itemIds()).hasSize(10).doesNotContain(top40);
        }
    }

    @Test
    void anIndexServesUntilTheWeightsAreRebuildVersionsNewer() {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        ActorWeights v10 = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, catalog), 13)
                .withVersion(10);
        Retrieval everyThird = new Retrieval(50, 100, 16, 100, 3, 7);
        ItemIndex first = everyThird.indexFor(v10, null);
        assertThat(first.version()).isEqualTo(10);
        assertThat(everyThird.indexFor(v10.withVersion(12), first)).isSameAs(first);
        ItemIndex rebuilt = everyThird.indexFor(v10.withVersion(13), first);
        assertThat(rebuilt).isNotSameAs(first);
        assertThat(rebuilt.version()).isEqualTo(13);
        assertThat(Retrieval.NONE.indexFor(v10, null)).isNull();
    }

    @Test
    void recallOnTheLiveEmbeddingsIsExactForAnExhaustiveSearchAndFallsAsTheyMove() {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        ActorWeights built = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, catalog), 15);
        ItemIndex index = EXHAUSTIVE.indexFor(built, null);
        float[] queries = new float[20 * 16];
        SplittableRandom rnd = new SplittableRandom(16);
        for (int i = 0; i < queries.length; i++) queries[i] = (float) rnd.nextGaussian();
        assertThat(index.recall(built, queries, 50, ITEMS)).isEqualTo(1.0);
        // other embeddings (a later version the index was not rebuilt for): the stale graph finds less of their top
        ActorWeights moved = ActorWeights.seeded(SETTINGS.toBuilder().seed(99).build(), catalog);
        assertThat(index.recall(moved, queries, 50, ITEMS)).isLessThan(0.5);
    }

    @Test
    void theSameSeedServesTheSameSlates() throws Exception {
        ItemCatalog catalog = ItemCatalog.range(ITEMS);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(SETTINGS, catalog), 14);
        Retrieval narrow = new Retrieval(30, 40, 8, 40, 1, 9);
        List<RecommendationRequest> batch = ActorTestData.randomRequests(20, ITEMS, 5, 5);
        List<int[]> first = new ArrayList<>();
        try (ServingModel m = new ServingModel(weights, catalog, 10, narrow, null);
                ActorScorer s = m.newScorer()) {
            for (ScoredSlate slate : s.score(batch)) first.add(slate.itemIds());
        }
        try (ServingModel m = new ServingModel(weights, catalog, 10, narrow, null);
                ActorScorer s = m.newScorer()) {
            List<ScoredSlate> again = s.score(batch);
            for (int r = 0; r < batch.size(); r++)
                assertThat(again.get(r).itemIds()).containsExactly(first.get(r));
        }
    }

    private static int[] concatSorted(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        Arrays.sort(c);
        return c;
    }
}
