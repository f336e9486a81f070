package io.streamrec.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.streamrec.model.DrrAveStateBlock;
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

/** The DRR-ave state representation s = [u, u⊙avg, avg] (d = 100, N = 5) on DJL/PyTorch CPU, inputs included. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DrrAveStateBench {
    @Param({"1", "64", "512"})
    public int batch;

    private static final int D = 100;
    private static final int N = 5;

    private NDManager root;
    private DrrAveStateBlock block;
    private ParameterStore store;
    private float[] users;
    private float[] window;
    private float[] mask;

    @Setup(Level.Trial)
    public void setup() {
        ai.djl.engine.Engine.getInstance(); // loads the native library first
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1); // as the job (actor.engine.threads = 1)
        root = NDManager.newBaseManager();
        block = new DrrAveStateBlock(D, N);
        block.initialize(root, DataType.FLOAT32, new Shape(batch, D), new Shape(batch, N, D), new Shape(batch, N));
        store = new ParameterStore(root, false);
        Random r = new Random(42);
        users = new float[batch * D];
        window = new float[batch * N * D];
        mask = new float[batch * N];
        for (int i = 0; i < users.length; i++) users[i] = (float) r.nextGaussian();
        for (int i = 0; i < window.length; i++) window[i] = (float) r.nextGaussian();
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextInt(5) == 0 ? 0f : 1f;
    }

    @Benchmark
    public float[] stateRepresentation() {
        try (NDManager m = root.newSubManager()) {
            NDList in = new NDList(
                    m.create(users, new Shape(batch, D)),
                    m.create(window, new Shape(batch, N, D)),
                    m.create(mask, new Shape(batch, N)));
            NDArray s = block.forward(store, in, false).singletonOrThrow();
            return s.toFloatArray();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        root.close();
    }
}
