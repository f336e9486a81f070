package io.streamrec.bench.jmh;

import io.streamrec.model.TopK;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Top-k (k = 10) of one score row with the user's rated items excluded (165 ≈ ML-1M's mean ratings per user). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TopKBench {
    @Param({"3706", "62000"})
    public int items;

    @Param({"165"})
    public int excluded;

    private float[] scores;
    private int[] exclusions;

    @Setup
    public void setup() {
        Random r = new Random(42);
        scores = new float[items];
        for (int i = 0; i < items; i++) scores[i] = (float) r.nextGaussian();
        exclusions = r.ints(0, items).distinct().limit(excluded).sorted().toArray();
    }

    @Benchmark
    public int[] topKWithExclusion() {
        return TopK.select(scores, 0, items, 10, exclusions);
    }
}
