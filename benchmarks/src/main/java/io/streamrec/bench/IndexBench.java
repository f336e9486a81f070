package io.streamrec.bench;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.EngineThreads;
import io.streamrec.serving.ActorScorer;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.ItemIndex;
import io.streamrec.serving.Retrieval;
import io.streamrec.serving.ScoredSlate;
import io.streamrec.serving.ServingModel;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * What the retrieval stage of two-stage serving costs and finds, against scoring the whole catalogue, in one process
 * on one thread: the actor's seeded version 0 over {@code --items} items (the job's defaults: d 100, DRR-ave-res),
 * a batch of requests of random users and windows (each with 165 rated items, ML-1M's mean); per HNSW setting
 * (M, efConstruction) the build time, then per beam the search time per request and recall@{candidates} against
 * exact search over the same embeddings, and the time per request of whole-catalogue scoring (one forward pass per
 * batch of 64 and top-k) measured in the same run. Seeded embeddings are uniform random rows: the hardest data for a
 * graph index (learned embeddings have more structure).
 */
public final class IndexBench {
    static final String USAGE = """
            usage: ./bench index [--items N] [--candidates N] [--graphs M:EFC,...] [--beams B,...] [--requests N]
              --items N        catalogue size (default 62423, ML-25M's rated items)
              --candidates N   candidates per request and the recall's @ (default 100)
              --graphs LIST    HNSW settings M:efConstruction (default 16:100,32:200)
              --beams LIST     search beams (default 100,400)
              --requests N     requests timed and judged (default 256)
            job options: actor.* keys (e.g. --actor.embedding.dim 32)
            """;

    public static void main(String[] args) throws Exception {
        Args parsed =
                Args.parse(args, Set.of("help"), Set.of("items", "candidates", "graphs", "beams", "requests"), true);
        if (parsed.has("help")) {
            System.out.print(USAGE);
            return;
        }
        int items = Integer.parseInt(parsed.options().getOrDefault("items", "62423"));
        int candidates = Integer.parseInt(parsed.options().getOrDefault("candidates", "100"));
        int requests = Integer.parseInt(parsed.options().getOrDefault("requests", "256"));
        String graphs = parsed.options().getOrDefault("graphs", "16:100,32:200");
        String beams = parsed.options().getOrDefault("beams", "100,400");
        StreamrecConfig config = StreamrecConfig.fromArgs(parsed.rest().toArray(new String[0]));
        ActorSettings actor = StageSettings.actor(config);
        EngineThreads.configure(actor.engineThreads());
        ItemCatalog catalog = ItemCatalog.range(items);
        ActorWeights weights = ActorWeights.seeded(actor, catalog);
        int d = weights.embeddingDim();
        List<RecommendationRequest> batch = requests(requests, items, config.getInt(ConfigKey.WINDOW_SIZE));
        System.out.printf(
                Locale.ROOT,
                "index: %,d items, d %d, %d requests, %d candidates, 1 thread (seeded weights v0)%n",
                items,
                d,
                requests,
                candidates);

        // Whole-catalogue scoring: the baseline, and the actions the index is queried with.
        float[] actions = new float[requests * d];
        List<int[]> fullSlates = new ArrayList<>();
        double fullMs;
        try (ServingModel full = new ServingModel(weights, catalog, actor.k());
                ActorScorer scorer = full.newScorer()) {
            for (int round = 0; round < 2; round++) score(scorer, batch); // warm-up
            long t0 = System.nanoTime();
            List<ScoredSlate> slates = score(scorer, batch);
            fullMs = (System.nanoTime() - t0) / 1e6 / requests;
            for (int r = 0; r < requests; r++) {
                System.arraycopy(slates.get(r).action(), 0, actions, r * d, d);
                fullSlates.add(slates.get(r).itemIds());
            }
        }
        System.out.printf(Locale.ROOT, "index: whole catalogue: %.3f ms per request (batches of 64)%n", fullMs);
        System.out.println("| M | efConstruction | build s | beam | ms per request | recall@" + candidates
                + " | slate overlap | vs whole catalogue |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String g : graphs.split(",")) {
            String[] me = g.split(":");
            int m = Integer.parseInt(me[0].trim());
            int efc = Integer.parseInt(me[1].trim());
            long b0 = System.nanoTime();
            ItemIndex index = ItemIndex.build(weights, m, efc, actor.seed());
            double buildS = (System.nanoTime() - b0) / 1e9;
            for (String bs : beams.split(",")) {
                int beam = Integer.parseInt(bs.trim());
                Retrieval retrieval = new Retrieval(candidates, beam, m, efc, 1, actor.seed());
                try (ServingModel twoStage = new ServingModel(weights, catalog, actor.k(), retrieval, index);
                        ActorScorer scorer = twoStage.newScorer()) {
                    score(scorer, batch.subList(0, Math.min(64, requests))); // warm-up
                    long t0 = System.nanoTime();
                    List<ScoredSlate> slates = score(scorer, batch);
                    double ms = (System.nanoTime() - t0) / 1e6 / requests;
                    int same = 0;
                    for (int r = 0; r < requests; r++) {
                        Set<Integer> f = new java.util.HashSet<>();
                        for (int id : fullSlates.get(r)) f.add(id);
                        for (int id : slates.get(r).itemIds()) if (f.contains(id)) same++;
                    }
                    double recall = index.recall(weights, actions, candidates, beam);
                    System.out.printf(
                            Locale.ROOT,
                            "| %d | %d | %.1f | %d | %.3f | %.3f | %.3f | %.2f× |%n",
                            m,
                            efc,
                            buildS,
                            beam,
                            ms,
                            recall,
                            same / (double) (requests * actor.k()),
                            ms / fullMs);
                }
            }
        }
    }

    private static List<ScoredSlate> score(ActorScorer scorer, List<RecommendationRequest> batch) throws Exception {
        List<ScoredSlate> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += 64)
            out.addAll(scorer.score(batch.subList(i, Math.min(i + 64, batch.size()))));
        return out;
    }

    private static List<RecommendationRequest> requests(int count, int items, int windowSize) {
        Random r = new Random(42);
        List<RecommendationRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] window = r.ints(1, items + 1).distinct().limit(windowSize).toArray();
            int[] rated = r.ints(1, items + 1).distinct().limit(165).sorted().toArray();
            out.add(new RecommendationRequest(
                    "index-" + i, 1 + r.nextInt(6040), window[windowSize - 1], 4f, 0L, window, rated));
        }
        return out;
    }
}
