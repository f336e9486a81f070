package io.streamrec.operators;

import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Pins an operator that must stay one subtask (the learner, the evaluator, the global baseline policies). */
public final class SingleSubtask {
    private SingleSubtask() {}

    /**
     * Parallelism 1 and max parallelism 1 (so no rescaling, reactive mode included, can split its state), and never
     * chained: Flink checks max parallelism per chain, and at job parallelism 1 this operator would chain with its
     * max-128 neighbours, so a savepoint taken at another parallelism could not be restored.
     */
    public static <T> SingleOutputStreamOperator<T> pin(SingleOutputStreamOperator<T> operator) {
        return operator.setParallelism(1).setMaxParallelism(1).disableChaining();
    }
}
