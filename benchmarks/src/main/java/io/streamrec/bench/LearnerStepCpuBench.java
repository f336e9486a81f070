package io.streamrec.bench;

import io.streamrec.bench.jmh.LearnerStepBench;
import io.streamrec.learner.DrrLearner;
import io.streamrec.learner.MlpBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Training steps per second of the java and torch learner backends at the paper's sizes, measured in the thread's
 * CPU time as well as wall time, the backends interleaved round by round in one process: on a shared, busy host the
 * wall-clock rate mostly measures the neighbours, the CPU time what a step costs (torch runs on the calling thread,
 * one intra-op thread). Usage: {@code ./bench learner [rounds] [stepsPerRound]} (default 10 × 5).
 */
public final class LearnerStepCpuBench {
    private LearnerStepCpuBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int stepsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MlpBackend[] backends = MlpBackend.values();
        DrrLearner[] learners = new DrrLearner[backends.length];
        for (int b = 0; b < backends.length; b++) {
            learners[b] = LearnerStepBench.paperSizedLearner(backends[b], 1);
            for (int i = 0; i < 2 * stepsPerRound; i++) learners[b].trainStep(); // warm-up (JIT, engine)
        }
        long[] cpuNanos = new long[backends.length];
        long[] wallNanos = new long[backends.length];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < backends.length; b++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < stepsPerRound; i++) learners[b].trainStep();
                cpuNanos[b] += threads.getCurrentThreadCpuTime() - cpu0;
                wallNanos[b] += System.nanoTime() - wall0;
            }
        }
        long steps = (long) rounds * stepsPerRound;
        for (int b = 0; b < backends.length; b++) {
            System.out.printf("learner-step backend=%s steps=%d cpu_s=%.3f wall_s=%.3f steps_per_cpu_s=%.2f "
                            + "steps_per_wall_s=%.2f%n", backends[b].configName(), steps, cpuNanos[b] / 1e9,
                    wallNanos[b] / 1e9, steps / (cpuNanos[b] / 1e9), steps / (wallNanos[b] / 1e9));
        }
        int t = java.util.Arrays.asList(backends).indexOf(MlpBackend.TORCH);
        int j = java.util.Arrays.asList(backends).indexOf(MlpBackend.JAVA);
        System.out.printf("learner-step torch/java speed-up: cpu %.2fx, wall %.2fx%n",
                (double) cpuNanos[j] / cpuNanos[t], (double) wallNanos[j] / wallNanos[t]);
    }
}
