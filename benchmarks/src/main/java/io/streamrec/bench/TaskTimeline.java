package io.streamrec.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Where a restart's seconds went, per operator chain: when the current attempt of its slowest subtask was deploying,
 * initialising (state restore and the operators' open) and running, relative to the kill — what the JobManager log
 * shows as DEPLOYING → INITIALIZING → RUNNING.
 */
final class TaskTimeline {
    private TaskTimeline() {}

    static Map<String, Map<String, Object>> of(MiniCluster cluster, JobID job, long killAt) throws Exception {
        AccessExecutionGraph graph = cluster.getArchivedExecutionGraph(job).get();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (AccessExecutionJobVertex v : graph.getVerticesTopologically()) {
            long deploying = -1, initializing = -1, running = -1;
            int attempt = 0;
            for (AccessExecutionVertex sub : v.getTaskVertices()) {
                AccessExecution e = sub.getCurrentExecutionAttempt();
                attempt = Math.max(attempt, e.getAttemptNumber());
                deploying = Math.max(deploying, e.getStateTimestamp(ExecutionState.DEPLOYING));
                initializing = Math.max(initializing, e.getStateTimestamp(ExecutionState.INITIALIZING));
                running = Math.max(running, e.getStateTimestamp(ExecutionState.RUNNING));
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("attempt", attempt);
            t.put("deployingMs", relative(deploying, killAt));
            t.put("initializingMs", relative(initializing, killAt));
            t.put("runningMs", relative(running, killAt));
            out.put(v.getName(), t);
        }
        return out;
    }

    /** When the job switched to RUNNING again after the kill (ms), or null. */
    static Long jobRunning(MiniCluster cluster, JobID job, long killAt) throws Exception {
        return relative(cluster.getArchivedExecutionGraph(job).get().getStatusTimestamp(JobStatus.RUNNING), killAt);
    }

    /** {@code at} as ms after {@code killAt}, or null for a time that never came (≤ 0: not reached, −1: none). */
    static Long relative(long at, long killAt) {
        return at <= 0 ? null : at - killAt;
    }
}
