package io.streamrec.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.schema.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job's own metrics through Flink's REST API (the one the web UI reads; any JobManager serves it): the running
 * streamrec job's state and the operator gauges a person watches — learner losses, steps per second, replay ratio,
 * staleness, serving's batch size and latency — and the sources' records per second (dead letters are counted on
 * their topic). Each vertex's
 * metric list is read once; values are aggregated over subtasks (max, or sum for rates).
 */
final class FlinkRestMetrics {
    /** Operator gauges shown, by their name after the operator prefix. */
    static final Set<String> GAUGES = Set.of(
            "criticLoss",
            "actorLoss",
            "auxLoss",
            "tdError",
            "replayRatio",
            "stepsPerSecond",
            "trainSteps",
            "staleness",
            "publishedVersion",
            "actorBatchSize",
            "actorLatencyMs");
    /** Source throughput: the sources' records out per second, summed over subtasks. */
    static final String SOURCE_RATE = "sourceRecordsPerSecond";

    private static final int RELIST_EVERY = 3;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String jobId;
    private final Map<String, List<String>> vertexMetrics = new LinkedHashMap<>(); // vertex id -> metric ids
    private long reads;

    FlinkRestMetrics(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The job's state and metrics now; state "unreachable" or "no job" when there is nothing to read. */
    Snapshot read() {
        try {
            // operators register their gauges when they open, and a job may be replaced: look again now and then
            if (jobId == null || reads++ % RELIST_EVERY == 0) {
                vertexMetrics.clear();
                jobId = findJob();
                if (jobId == null) return new Snapshot("no job", Map.of());
            }
            JsonNode job = get("/jobs/" + jobId);
            String state = job.path("state").asText("unknown");
            Map<String, Double> values = new LinkedHashMap<>();
            double sourceRate = 0;
            boolean anySource = false;
            for (JsonNode v : job.path("vertices")) {
                String vid = v.path("id").asText();
                boolean source = v.path("name").asText().startsWith("Source");
                List<String> wanted = vertexMetrics.computeIfAbsent(vid, id -> wantedMetrics(id, source));
                if (wanted.isEmpty()) continue;
                JsonNode got = get("/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics?get="
                        + URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8) + "&agg=max,sum");
                for (JsonNode m : got) {
                    String id = m.path("id").asText();
                    if (source && id.equals("numRecordsOutPerSecond")) {
                        sourceRate += m.path("sum").asDouble();
                        anySource = true;
                    } else if (m.has("max")) {
                        values.merge(gaugeName(id), m.path("max").asDouble(), Math::max);
                    }
                }
            }
            if (anySource) values.put(SOURCE_RATE, sourceRate);
            return new Snapshot(state, values);
        } catch (IOException | RuntimeException e) {
            // the JobManager is away, restarting, or answered something unexpected: look for the job anew
            jobId = null;
            return new Snapshot("unreachable", Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot("unreachable", Map.of());
        }
    }

    record Snapshot(String state, Map<String, Double> values) {}

    /** The newest running job (the streamrec job on a demo or a dedicated cluster), or the newest of any state. */
    private String findJob() throws IOException, InterruptedException {
        JsonNode jobs = get("/jobs/overview").path("jobs");
        String best = null;
        long bestStart = Long.MIN_VALUE;
        boolean bestRunning = false;
        for (JsonNode j : jobs) {
            boolean running = "RUNNING".equals(j.path("state").asText());
            long start = j.path("start-time").asLong();
            if ((running && !bestRunning) || (running == bestRunning && start > bestStart)) {
                best = j.path("jid").asText();
                bestStart = start;
                bestRunning = running;
            }
        }
        return best;
    }

    private List<String> wantedMetrics(String vertexId, boolean source) {
        List<String> wanted = new ArrayList<>();
        try {
            if (source) wanted.add("numRecordsOutPerSecond");
            for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
                String id = m.path("id").asText();
                if (GAUGES.contains(gaugeName(id))) wanted.add(id);
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // read again when the job is found anew
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return wanted;
    }

    /** {@code drr-learner.criticLoss} → {@code criticLoss}: REST metric ids carry the operator's name first. */
    private static String gaugeName(String metricId) {
        return metricId.substring(metricId.lastIndexOf('.') + 1);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException(path + ": HTTP " + r.statusCode());
        return Json.MAPPER.readTree(r.body());
    }
}
