package io.streamrec.bench.jmh;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.Experience;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.model.ActorWeights;
import io.streamrec.serving.ActorSettings;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One DRR learner training step ({@link DrrLearner#trainStep}) at the DRR paper's sizes — d = 100, N = 5 (DRR-ave),
 * actor and critic hidden 256, batch 64, 1,682 items (ml-100k) — in steps per second.
 * The replay buffer is pre-filled with random transitions; the step includes sampling, the state representation,
 * both networks' forward and backward passes, Adam and the soft target updates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LearnerStepBench {
    /** PyTorch intra-op threads, as actor.engine.threads (the job's default is 1; the learner shares the setting). */
    @Param({"1"})
    public int engineThreads;

    private static final int ITEMS = 1682;
    private static final int TRANSITIONS = 5_000;

    private DrrLearner learner;

    @Setup(Level.Trial)
    public void setup() {
        learner = paperSizedLearner(engineThreads);
    }

    /**
     * A learner at the paper's sizes, its buffer filled with {@value #TRANSITIONS} random
     * transitions (seed 42), the PyTorch pool of the calling thread capped at {@code engineThreads}.
     */
    public static DrrLearner paperSizedLearner(int engineThreads) {
        ai.djl.engine.Engine.getInstance(); // loads the native library first
        ai.djl.pytorch.jni.JniUtils.setNumThreads(engineThreads);
        ActorSettings actor = StageSettings.actor(StreamrecConfig.defaults()).toBuilder()
                .engineThreads(engineThreads)
                .build();
        LearnerSettings settings =
                StageSettings.learner(StreamrecConfig.defaults()); // paper defaults: batch 64, critic hidden 256
        settings.pacing = io.streamrec.learner.Pacing.LIVE;
        DrrLearner learner = new DrrLearner(settings, ActorWeights.seeded(actor, ItemCatalog.range(ITEMS)));
        Random r = new Random(42);
        int d = actor.embeddingDim();
        for (int i = 0; i < TRANSITIONS; i++) {
            int[] window = r.ints(1, ITEMS + 1).limit(actor.windowSize()).toArray();
            int[] next = r.ints(1, ITEMS + 1).limit(actor.windowSize()).toArray();
            float[] action = new float[d];
            for (int c = 0; c < d; c++) action[c] = (float) (r.nextDouble() * 2 - 1);
            int[] positives = r.ints(1, ITEMS + 1).limit(1 + r.nextInt(3)).toArray();
            // mayTrain = false: fill the buffer without training (the due steps are only counted as dropped).
            learner.observe(
                    new Experience(
                            1 + r.nextInt(943),
                            window,
                            action,
                            r.nextFloat() * 2 - 1,
                            next,
                            r.nextInt(20) == 0,
                            positives),
                    false);
        }
        return learner;
    }

    @Benchmark
    public DrrLearner.StepResult trainStep() {
        return learner.trainStep();
    }
}
