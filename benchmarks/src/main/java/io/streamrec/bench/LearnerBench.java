package io.streamrec.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrec.bench.jmh.LearnerStepBench;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.Experience;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.learner.Pacing;
import io.streamrec.model.ActorWeights;
import io.streamrec.serving.ActorSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code ./bench learner [rounds] [stepsPerRound]}: the DRR learner at the paper's sizes (d = 100, N = 5, hidden 256,
 * critic hidden 256, batch 64, 1,682 items, one intra-op thread) against a plain PyTorch GEMM in the same process.
 *
 * <ul>
 *   <li>steps/s: training steps in wall and thread-CPU time, rounds interleaved with the GEMM rounds so that both see
 *       the same host load;</li>
 *   <li>FLOPs of one step, counted from the graph ({@link Gemm#OPS}): every Linear forward is 2·B·in·out, and
 *       its backward another 2·B·in·out for the weight gradient plus 2·B·in·out for the input gradient where the input
 *       needs one;</li>
 *   <li>the GEMM rate: the step's matrix products (forward, weight- and input-gradient shapes, as counted) run back
 *       to back as plain PyTorch matmuls, nothing else;</li>
 *   <li>efficiency = FLOPs per step × steps/s ÷ GEMM FLOP rate (CPU time, so a busy neighbour core does not count);</li>
 *   <li>the replay ratio a fresh learner keeps in {@code sync} pacing over a stream of transitions.</li>
 * </ul>
 * Ends with {@code learner: <S> steps/s (paper sizes, 1 thread), efficiency <E> of GEMM peak, replay ratio <R>}.
 */
public final class LearnerBench {
    private static final int B = 64;
    private static final int D = 100;
    private static final int H = 256;
    private static final int CRITIC_H = 256;
    private static final int STATE = 3 * D; // DRR-ave

    private LearnerBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int stepsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (DrrLearner learner = LearnerStepBench.paperSizedLearner(1)) {
            for (int i = 0; i < 50; i++) learner.trainStep(); // warm-up (JIT, engine, allocator)
            Gemm gemm = new Gemm();
            gemm.run(20);
            long stepCpu = 0;
            long stepWall = 0;
            long gemmCpu = 0;
            long gemmReps = 0;
            for (int r = 0; r < rounds; r++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                for (int i = 0; i < stepsPerRound; i++) learner.trainStep();
                stepCpu += threads.getCurrentThreadCpuTime() - c0;
                stepWall += System.nanoTime() - w0;
                long g0 = threads.getCurrentThreadCpuTime();
                gemm.run(stepsPerRound);
                gemmCpu += threads.getCurrentThreadCpuTime() - g0;
                gemmReps += stepsPerRound;
            }
            gemm.close();
            long steps = (long) rounds * stepsPerRound;
            double flops = Gemm.FLOPS;
            double stepsPerCpuS = steps / (stepCpu / 1e9);
            double stepsPerWallS = steps / (stepWall / 1e9);
            double gemmRate = gemmReps * Gemm.FLOPS / (gemmCpu / 1e9);
            double efficiency = flops * stepsPerCpuS / gemmRate;
            double ratio = achievedRatio();
            System.out.printf(
                    "learner-step device=%s steps=%d cpu_s=%.3f wall_s=%.3f steps_per_cpu_s=%.1f "
                            + "steps_per_wall_s=%.1f flops_per_step=%.0f step_gflops=%.2f gemm_gflops=%.2f%n",
                    learner.device(),
                    steps,
                    stepCpu / 1e9,
                    stepWall / 1e9,
                    stepsPerCpuS,
                    stepsPerWallS,
                    flops,
                    flops * stepsPerCpuS / 1e9,
                    gemmRate / 1e9);
            System.out.printf(
                    "learner: %.1f steps/s (paper sizes, 1 thread), efficiency %.2f of GEMM peak, "
                            + "replay ratio %.2f%n",
                    stepsPerCpuS, efficiency, ratio);
        }
    }

    private static double linear(int in, int out) {
        return 2.0 * B * in * out;
    }

    /** Samples trained per transition that a fresh learner keeps in sync pacing over 3,000 transitions. */
    private static double achievedRatio() {
        ActorSettings actor = StageSettings.actor(StreamrecConfig.defaults()).toBuilder()
                .engineThreads(1)
                .build();
        LearnerSettings settings = StageSettings.learner(StreamrecConfig.defaults());
        settings.pacing = Pacing.SYNC;
        try (DrrLearner learner = new DrrLearner(settings, ActorWeights.seeded(actor, ItemCatalog.range(1682)))) {
            Random r = new Random(7);
            for (int i = 0; i < 3_000; i++) {
                float[] action = new float[D];
                for (int c = 0; c < D; c++) action[c] = (float) (r.nextDouble() * 2 - 1);
                learner.observe(new Experience(
                        1 + r.nextInt(943),
                        r.ints(1, 1683).limit(5).toArray(),
                        action,
                        r.nextFloat(),
                        r.ints(1, 1683).limit(5).toArray(),
                        false,
                        new int[] {1 + r.nextInt(1682)}));
            }
            return learner.achievedReplayRatio();
        }
    }

    /**
     * The step's matrix products, which are also its FLOP count, as plain PyTorch GEMMs and nothing else: for each
     * Linear (in → out) pass of the step, the forward {@code x[B,in]·Wᵀ}, and where the step has them the weight
     * gradient {@code gᵀ[out,B]·x[B,in]} and the input gradient {@code g[B,out]·W[out,in]}.
     */
    private static final class Gemm implements AutoCloseable {
        private static final int FWD = 0;
        private static final int GRAD_W = 1;
        private static final int GRAD_X = 2;
        static final List<int[]> OPS = new ArrayList<>();
        static final double FLOPS;

        static {
            int[][] actor = {{STATE, H}, {H, H}, {H, D}};
            int[][] critic = {{STATE + D, CRITIC_H}, {CRITIC_H, CRITIC_H}, {CRITIC_H, 1}};
            add(actor, FWD); // targets
            add(critic, FWD);
            add(critic, FWD, GRAD_W, GRAD_X); // Q(s, a)
            add(actor, FWD, GRAD_W); // μ(s̄)
            add(new int[][] {{H, H}, {H, D}}, GRAD_X);
            add(critic, FWD, GRAD_X); // Q(s̄, μ(s̄)), frozen weights
            add(actor, FWD, GRAD_W, GRAD_X); // auxiliary loss
            double f = 0;
            for (int[] op : OPS) f += linear(op[1], op[2]);
            FLOPS = f;
        }

        private static void add(int[][] layers, int... kinds) {
            for (int[] l : layers) for (int k : kinds) OPS.add(new int[] {k, l[0], l[1]});
        }

        private final NDManager manager =
                NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        private final NDArray[][] operands = new NDArray[OPS.size()][];

        Gemm() {
            manager.getEngine().setRandomSeed(1);
            for (int i = 0; i < OPS.size(); i++) {
                int[] op = OPS.get(i);
                int in = op[1];
                int out = op[2];
                NDArray x = manager.randomUniform(-1, 1, new Shape(B, in));
                NDArray w = manager.randomUniform(-1, 1, new Shape(out, in));
                NDArray g = manager.randomUniform(-1, 1, new Shape(B, out));
                operands[i] = switch (op[0]) {
                    case FWD -> new NDArray[] {x, w.transpose()};
                    case GRAD_W -> new NDArray[] {g.transpose(), x};
                    default -> new NDArray[] {g, w};
                };
            }
        }

        void run(int reps) {
            float sink = 0;
            for (int r = 0; r < reps; r++) {
                for (NDArray[] o : operands) {
                    try (NDArray y = o[0].matMul(o[1])) {
                        if (r == reps - 1) sink += y.getFloat(0, 0);
                    }
                }
            }
            if (Float.isNaN(sink)) System.out.print("");
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
