package io.streamrec.bench;

import io.streamrec.job.CollectingMetricReporter;

/**
 * When the learner trained again after a failure, from its own metrics: the failed task's {@code trainSteps} gauge
 * goes away, the restored task registers a new one (at the checkpoint's step count), and the first step after the
 * restore raises it.
 */
final class LearnerRestore {
    private LearnerRestore() {}

    /** The wall-clock time of the learner's first step after the restore, or -1 if none within {@code timeoutMs}. */
    static long awaitFirstStep(long killAt, long timeoutMs) throws InterruptedException {
        long deadline = killAt + timeoutMs;
        // The old gauge is removed when the failed task is cancelled.
        while (registered() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        while (!registered() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        if (!registered()) return -1;
        long restored = CollectingMetricReporter.sum("trainSteps");
        while (System.currentTimeMillis() < deadline) {
            if (CollectingMetricReporter.sum("trainSteps") > restored) return System.currentTimeMillis();
            Thread.sleep(20);
        }
        return -1;
    }

    private static boolean registered() {
        return CollectingMetricReporter.has("", "trainSteps");
    }
}
