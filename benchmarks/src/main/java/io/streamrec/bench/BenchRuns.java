package io.streamrec.bench;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.KafkaEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** The configuration of each benchmark run, on topics of its own (each run numbered: a phase). */
final class BenchRuns {
    private final KafkaEndpoint broker;
    private final Path work;
    private final List<String> jobArgs;
    private int phase;

    BenchRuns(KafkaEndpoint broker, Path work, List<String> jobArgs) {
        this.broker = broker;
        this.work = work;
        this.jobArgs = jobArgs;
    }

    /** The job configuration against the benchmark's broker: the user's job options, then {@code overrides}. */
    StreamrecConfig config(Map<String, String> overrides) {
        List<String> all = new ArrayList<>(List.of(
                "--bootstrap.servers", broker.bootstrapServers(),
                "--checkpoint.dir", work.resolve("checkpoints").toUri().toString()));
        all.addAll(jobArgs);
        for (var e : overrides.entrySet()) {
            all.add("--" + e.getKey());
            all.add(e.getValue());
        }
        return StreamrecConfig.fromArgs(all.toArray(String[]::new));
    }

    /** Topics of one run: a fresh ratings topic and output topic, both stamped by the broker (LogAppendTime). */
    StreamrecConfig next(String label, String delivery) {
        phase++;
        String in = "ratings-" + phase + "-" + label;
        String out = "out-" + phase + "-" + label;
        String dlq = "dlq-" + phase + "-" + label;
        String weights = "weights-" + phase + "-" + label;
        Map<String, String> o = new LinkedHashMap<>();
        o.put("topic.ratings", in);
        o.put("topic.recommendations", out);
        o.put("topic.dlq", dlq);
        // Fresh learning-loop topics too: the learner resumes from the latest version on its weights topic.
        o.put("topic.transitions", "transitions-" + phase + "-" + label);
        o.put("topic.actor.weights", weights);
        o.put("topic.metrics", "metrics-" + phase + "-" + label);
        o.put("group.id", "bench-" + phase);
        o.put("transactional.id.prefix", "bench-" + phase);
        o.put("delivery.guarantee", delivery);
        o.put("checkpoint.dir", work.resolve("checkpoints-" + phase).toUri().toString());
        StreamrecConfig c = config(o);
        int partitions = c.getInt(ConfigKey.PARALLELISM);
        Map<String, String> logAppend = Map.of("message.timestamp.type", "LogAppendTime");
        broker.createTopic(in, partitions, logAppend);
        broker.createTopic(out, partitions, logAppend);
        broker.createTopic(dlq, 1, Map.of());
        broker.createTopic(c.get(ConfigKey.TOPIC_TRANSITIONS), partitions, Map.of());
        broker.createTopic(c.get(ConfigKey.TOPIC_METRICS), partitions, Map.of());
        // Not compacted (unlike production): compaction during a long run would drop versions before the harness
        // reads the topic to measure their staleness. Serving and the learner read it the same way either way.
        broker.createTopic(
                weights,
                1,
                Map.of(
                        "cleanup.policy",
                        "delete",
                        "message.timestamp.type",
                        "LogAppendTime",
                        "max.message.bytes",
                        c.get(ConfigKey.PUBLISH_MAX_BYTES)));
        return c;
    }

    /** Waits until the job runs and its tasks have deployed (60 s at most). */
    static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (job.getJobStatus().get() == JobStatus.RUNNING) {
                Thread.sleep(2000); // tasks deploy and open (DJL model load) after the job switches to RUNNING
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job not running after 60 s");
    }

    /** Cancels the job; a failure to cancel is reported, not thrown. */
    static void cancel(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("bench: cancel failed: " + e);
        }
    }
}
