package io.streamrec.bench.jmh;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.model.ActorWeights;
import io.streamrec.serving.ActorScorer;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.Retrieval;
import io.streamrec.serving.ScoredSlate;
import io.streamrec.serving.ServingModel;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One micro-batch through the serving path the job uses: {@link ActorScorer#score} = gather embeddings → one DJL
 * forward pass (DRR-ave state → actor MLP → scores over all 3,706 items) → top-10 excluding rated items, per
 * request; or, two-stage ({@code candidates} > 0), the forward pass to the actions → candidates from the HNSW item
 * index (seeded embeddings: random rows, the hardest case for the graph) → re-ranked. Time per batch; divide by the
 * batch size for the per-request cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActorInferenceBench {
    @Param({"1", "8", "64", "256", "512"})
    public int batch;

    @Param({"3706"})
    public int items;

    /** Two-stage serving's candidates per request (actor.candidates); 0 scores the whole catalogue. */
    @Param({"0", "100"})
    public int candidates;

    /** The item index's search beam (actor.index.beam), with M 32 and efConstruction 200 (the defaults). */
    @Param({"400"})
    public int beam;

    /** PyTorch intra-op threads, as actor.engine.threads (the job's default is 1). */
    @Param({"1"})
    public int engineThreads;

    private ServingModel model;
    private ActorScorer scorer;
    private List<RecommendationRequest> requests;

    @Setup(Level.Trial)
    public void setup() {
        ActorSettings settings = StageSettings.actor(StreamrecConfig.defaults()).toBuilder()
                .engineThreads(engineThreads)
                .build();
        ai.djl.engine.Engine.getInstance(); // loads the native library first
        ai.djl.pytorch.jni.JniUtils.setNumThreads(engineThreads); // as the job's EngineThreads does
        ItemCatalog catalog = ItemCatalog.range(items);
        Retrieval retrieval = candidates == 0 ? Retrieval.NONE : new Retrieval(candidates, beam, 32, 200, 1, 42);
        model = new ServingModel(ActorWeights.seeded(settings, catalog), catalog, settings.k(), retrieval, null);
        scorer = model.newScorer();
        Random r = new Random(42);
        requests = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int[] window = r.ints(1, items + 1).distinct().limit(5).toArray();
            int[] rated = r.ints(1, items + 1).distinct().limit(165).sorted().toArray();
            requests.add(
                    new RecommendationRequest("bench-" + i, 1 + r.nextInt(6040), window[4], 4f, 0L, window, rated));
        }
    }

    @Benchmark
    public List<ScoredSlate> scoreBatch() throws Exception {
        return scorer.score(requests);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scorer.close();
        model.close();
    }
}
