package io.streamrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.EngineThreads;
import io.streamrec.model.TopK;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.testutil.TestSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ActorScorerTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void matchesAPlainJavaForwardPassAndExcludesRatedItems() throws Exception {
        ActorSettings settings = TestSettings.actor()
                .embeddingDim(16)
                .hiddenDim(32)
                .windowSize(5)
                .k(10)
                .seed(3)
                .build();
        ItemCatalog catalog = ItemCatalog.range(200);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(settings, catalog), 11);
        ReferenceActor reference = new ReferenceActor(weights);

        List<RecommendationRequest> batch = new java.util.ArrayList<>(List.of(
                ActorTestData.request("empty", 9, new int[0]),
                ActorTestData.request("short", 2, new int[] {5}, 9),
                ActorTestData.request("long", 3, new int[] {1, 2, 3, 4, 5, 6, 7}),
                ActorTestData.request("unknown", 4, new int[] {10, 9_999, 20}),
                ActorTestData.request("learned", 1, new int[] {30, 31, 32, 33, 34})));
        // A request whose unconstrained favourites are all rated: they must disappear from its slate.
        double[] plain = reference.scores(ActorTestData.request("x", 12, new int[] {40, 41}));
        int[] favourites = TopK.select(toFloats(plain), 0, plain.length, 3, null);
        int[] favouriteIds = Arrays.stream(favourites).map(catalog::itemIdAt).toArray();
        batch.add(ActorTestData.request("favouritesRated", 12, new int[] {40, 41}, favouriteIds));
        batch.addAll(ActorTestData.randomRequests(40, 200, 5, 5));

        try (ServingModel model = new ServingModel(weights, catalog, settings.k());
                ActorScorer scorer = model.newScorer()) {
            List<ScoredSlate> slates = scorer.score(batch);
            assertThat(slates).hasSize(batch.size());
            for (int r = 0; r < batch.size(); r++) {
                RecommendationRequest req = batch.get(r);
                ScoredSlate slate = slates.get(r);
                assertAgreesWithReference(req, slate, reference, catalog, settings.k());
            }
            assertThat(slates.get(5).itemIds()).doesNotContain(favouriteIds);

            // Scoring alone or in a batch gives the same slate.
            for (int r = 0; r < 6; r++) {
                ScoredSlate alone = scorer.score(List.of(batch.get(r))).get(0);
                assertThat(alone.itemIds()).containsExactly(slates.get(r).itemIds());
                for (int j = 0; j < alone.size(); j++) {
                    assertThat(alone.scores()[j]).isCloseTo(slates.get(r).scores()[j], within(1e-5f));
                }
            }
        }
    }

    @Test
    void actionNoiseRanksByTheNoisyActionAndKeepsTheGreedySlate() throws Exception {
        ActorSettings settings = TestSettings.actor()
                .embeddingDim(16)
                .hiddenDim(32)
                .windowSize(5)
                .k(10)
                .seed(3)
                .build();
        ItemCatalog catalog = ItemCatalog.range(200);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(settings, catalog), 11);
        List<RecommendationRequest> batch = ActorTestData.randomRequests(8, 200, 5, 5);
        float[] noise = new float[8 * 16];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < noise.length; i++) noise[i] = (float) rnd.nextGaussian() * 0.5f;
        try (ServingModel model = new ServingModel(weights, catalog, settings.k());
                ActorScorer scorer = model.newScorer()) {
            List<ScoredSlate> clean = scorer.score(batch);
            List<ScoredSlate> noisy = scorer.score(batch, noise);
            int differ = 0;
            for (int r = 0; r < batch.size(); r++) {
                ScoredSlate c = clean.get(r);
                ScoredSlate x = noisy.get(r);
                assertThat(c.greedyItemIds()).isNull();
                // The greedy slate is the clean one; the reported action is a + noise.
                assertThat(x.greedyItemIds()).containsExactly(c.itemIds());
                for (int j = 0; j < 16; j++) {
                    float expected = c.action()[j] + noise[r * 16 + j];
                    assertThat(x.action()[j]).isCloseTo(expected, within(1e-5f));
                }
                // The served slate is ranked by the noisy action: its scores are a'·e of its items.
                float[] rows = new float[16];
                for (int j = 0; j < x.size(); j++) {
                    weights.copyItemRow(x.itemIndices()[j], rows, 0);
                    float dot = 0;
                    for (int t = 0; t < 16; t++) dot += rows[t] * x.action()[t];
                    assertThat(x.scores()[j]).isCloseTo(dot, within(1e-4f));
                }
                if (!Arrays.equals(x.itemIds(), c.itemIds())) differ++;
            }
            assertThat(differ).as("noise of σ 0.5 changes some slates").isPositive();
            // The greedy slate only for the users asked for (the evaluation's slice; rows 3 and 6 here, not the first
            // row, so a slate attached to the wrong request shows); the served one for all.
            java.util.Set<Integer> slice = java.util.Set.of(batch.get(3).userId, batch.get(6).userId);
            assertThat(batch).anyMatch(q -> !slice.contains(q.userId));
            List<ScoredSlate> some = scorer.score(batch, noise, slice::contains);
            for (int r = 0; r < batch.size(); r++) {
                assertThat(some.get(r).itemIds()).containsExactly(noisy.get(r).itemIds());
                if (slice.contains(batch.get(r).userId))
                    assertThat(some.get(r).greedyItemIds())
                            .containsExactly(clean.get(r).itemIds());
                else assertThat(some.get(r).greedyItemIds()).isNull();
            }
        }
    }

    @Test
    void defaultDimensionsMatchTheReferenceToo() throws Exception {
        ActorSettings settings = TestSettings.actor().build();
        ItemCatalog catalog = ItemCatalog.range(500);
        ActorWeights weights = ActorTestData.randomised(ActorWeights.seeded(settings, catalog), 12);
        ReferenceActor reference = new ReferenceActor(weights);
        List<RecommendationRequest> batch = ActorTestData.randomRequests(64, 500, 5, 6);
        try (ServingModel model = new ServingModel(weights, catalog, 10);
                ActorScorer scorer = model.newScorer()) {
            List<ScoredSlate> slates = scorer.score(batch);
            for (int r = 0; r < batch.size(); r++)
                assertAgreesWithReference(batch.get(r), slates.get(r), reference, catalog, 10);
        }
    }

    @Test
    void returnsWhatRemainsWhenTheUserRatedAlmostEverything() throws Exception {
        ActorSettings settings =
                TestSettings.actor().embeddingDim(4).hiddenDim(8).k(10).build();
        ItemCatalog catalog = ItemCatalog.range(12);
        try (ServingModel model = new ServingModel(ActorWeights.seeded(settings, catalog), catalog, 10);
                ActorScorer scorer = model.newScorer()) {
            List<ScoredSlate> slates = scorer.score(List.of(
                    ActorTestData.request("a", 1, new int[] {1, 2, 3}, 4, 5),
                    ActorTestData.request("b", 1, new int[] {1, 2}, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)));
            assertThat(slates.get(0).itemIds())
                    .hasSize(7)
                    .doesNotHaveDuplicates()
                    .containsOnly(6, 7, 8, 9, 10, 11, 12);
            assertThat(slates.get(1).itemIds()).isEmpty();
            assertThat(slates.get(1).action()).hasSize(4);
        }
    }

    @Test
    void manyBatchesDoNotLeakNativeArrays() throws Exception {
        ActorSettings settings =
                TestSettings.actor().embeddingDim(16).hiddenDim(32).build();
        ItemCatalog catalog = ItemCatalog.range(300);
        ServingModel model = new ServingModel(ActorWeights.seeded(settings, catalog), catalog, 10);
        ActorScorer scorer = model.newScorer();
        List<RecommendationRequest> batch = ActorTestData.randomRequests(32, 300, 5, 9);
        int parameters = model.manager().getManagedArrays().size();
        assertThat(parameters).isEqualTo(8);
        for (int i = 0; i < 5; i++) scorer.score(batch);
        int warm = model.manager().getManagedArrays().size();
        for (int i = 0; i < 500; i++) scorer.score(batch);
        assertThat(model.manager().getManagedArrays().size()).isEqualTo(warm).isEqualTo(parameters);
        scorer.close();
        model.close();
        assertThat(model.manager().isOpen()).isFalse();
        model.close(); // idempotent
    }

    /** Manual timing (run with -Dstreamrec.bench=true); prints, asserts nothing. */
    @Test
    void timing() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("streamrec.bench"), "timing only with -Dstreamrec.bench=true");
        ActorSettings settings = TestSettings.actor().build();
        int items = Integer.getInteger("streamrec.bench.items", 3706); // MovieLens-1M
        int threads = Integer.getInteger("streamrec.bench.threads", settings.engineThreads());
        EngineThreads.configure(threads);
        ItemCatalog catalog = ItemCatalog.range(items);
        try (ServingModel model = new ServingModel(ActorWeights.seeded(settings, catalog), catalog, 10);
                ActorScorer scorer = model.newScorer()) {
            for (int b : new int[] {1, 8, 64, 256}) {
                List<RecommendationRequest> batch = ActorTestData.randomRequests(b, items, 5, b);
                for (int i = 0; i < 20; i++) scorer.score(batch);
                int rounds = Math.max(20, 4000 / b);
                long t0 = System.nanoTime();
                for (int i = 0; i < rounds; i++) scorer.score(batch);
                double perBatchMs = (System.nanoTime() - t0) / 1e6 / rounds;
                System.out.printf(
                        Locale.ROOT,
                        "actor timing on %s, %d thread(s): items=%d batch=%d: %.3f ms/batch, %.0f requests/s%n",
                        model.device(),
                        threads,
                        items,
                        b,
                        perBatchMs,
                        b * 1000 / perBatchMs);
            }
        }
    }

    private static void assertAgreesWithReference(
            RecommendationRequest req, ScoredSlate slate, ReferenceActor reference, ItemCatalog catalog, int k) {
        double[] action = reference.action(req);
        assertThat(slate.action()).hasSize(action.length);
        for (int c = 0; c < action.length; c++) {
            assertThat((double) slate.action()[c])
                    .as("%s action[%d]", req.requestId, c)
                    .isCloseTo(action[c], within(TOLERANCE));
        }
        double[] scores = reference.scores(req);
        int excludedKnown = (int) Arrays.stream(req.ratedItems)
                .filter(id -> catalog.indexOf(id) >= 0)
                .count();
        assertThat(slate.itemIds())
                .as(req.requestId)
                .hasSize(Math.min(k, catalog.size() - excludedKnown))
                .doesNotHaveDuplicates();
        double worst = Double.POSITIVE_INFINITY;
        for (int j = 0; j < slate.size(); j++) {
            int id = slate.itemIds()[j];
            assertThat(ActorTestData.contains(req.ratedItems, id))
                    .as("%s recommends rated item %d", req.requestId, id)
                    .isFalse();
            assertThat(catalog.itemIdAt(slate.itemIndices()[j])).isEqualTo(id);
            double expected = scores[catalog.indexOf(id)];
            assertThat((double) slate.scores()[j])
                    .as("%s score of %d", req.requestId, id)
                    .isCloseTo(expected, within(TOLERANCE));
            if (j > 0) assertThat(slate.scores()[j]).isLessThanOrEqualTo(slate.scores()[j - 1]);
            worst = Math.min(worst, expected);
        }
        // Nothing left out beats the slate (beyond float noise).
        for (int i = 0; i < scores.length; i++) {
            int id = catalog.itemIdAt(i);
            if (ActorTestData.contains(req.ratedItems, id) || contains(slate.itemIds(), id)) continue;
            assertThat(scores[i])
                    .as("%s: item %d outranks the slate", req.requestId, id)
                    .isLessThanOrEqualTo(worst + TOLERANCE);
        }
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) if (x == v) return true;
        return false;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
