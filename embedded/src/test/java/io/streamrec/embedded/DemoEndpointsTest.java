package io.streamrec.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.dashboard.DashboardServer;
import io.streamrec.schema.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short demo serves Flink's web UI, the Prometheus reporter and the live dashboard on localhost while it runs: the
 * UI's /overview names the running job, the Prometheus endpoint carries streamrec's own series (the learner's steps,
 * serving's rejected weights, the dead letters) with plausible values, the dashboard's data endpoint every policy's
 * curves and the job's metrics; at the end the demo writes the run report.
 */
class DemoEndpointsTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private CompletableFuture<Integer> demo;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theDemoServesFlinksWebUiPrometheusMetricsAndTheDashboardOnLocalhost(@TempDir Path report) throws Exception {
        int web = freePort(), prometheus = freePort(), dashboard = freePort();
        demo = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedStreamrec.run(
                        new String[] {
                            "--kafka-port",
                            "0",
                            "--web-port",
                            Integer.toString(web),
                            "--prometheus-port",
                            Integer.toString(prometheus),
                            "--dashboard-port",
                            Integer.toString(dashboard),
                            "--users",
                            "100",
                            "--items",
                            "300",
                            "--events",
                            "4000",
                            "--policies",
                            "random,popularity,drr",
                            "--eval.window.events",
                            "500",
                            "--eval.window.days",
                            "0",
                            "--report.dir",
                            report.toString(),
                            // the live serving path (async actor, weights topic), whose gauges this test reads
                            "--replay.deterministic",
                            "false"
                        },
                        new PrintStream(console, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String overview = poll("http://localhost:" + web + "/overview", body -> body.contains("\"jobs-running\":1"));
        assertThat(overview).contains("\"taskmanagers\":1").contains("\"flink-version\"");
        String ui = get("http://localhost:" + web + "/");
        assertThat(ui).containsIgnoringCase("<html");

        String metrics = poll(
                "http://localhost:" + prometheus + "/metrics",
                body -> positive(body, "trainSteps")
                        && body.contains("flink_taskmanager_job_task_operator_actorLatencyMs")
                        && batchScored(body));
        // the learner trains in the demo: its step counter has moved
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_trainSteps"))
                .isGreaterThan(0);
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_actorWeightsRejected"))
                .isEqualTo(0);
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_deadLetters"))
                .isEqualTo(0);
        assertThat(value(metrics, "flink_jobmanager_numRegisteredTaskManagers")).isEqualTo(1);
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_actorBatchSize"))
                .as("serving's last micro-batch")
                .isBetween(1.0, 64.0);
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_actorLatencyMs"))
                .isGreaterThan(0.0)
                .isLessThan(60_000.0);

        // the dashboard's data: every policy's curves from the metrics topic, the job's metrics from Flink's REST API
        JsonNode state = Json.MAPPER.readTree(
                poll("http://localhost:" + dashboard + DashboardServer.DATA_PATH, body -> dashboardComplete(body)));
        for (String policy : List.of("random", "popularity", "drr")) {
            JsonNode cumulative = state.at("/curves/ndcg@10/cumulative/" + policy);
            assertThat(cumulative.size()).as(policy + " cumulative points").isGreaterThanOrEqualTo(2);
            for (JsonNode point : cumulative)
                assertThat(point.get(1).asDouble()).isBetween(0.0, 1.0);
            assertThat(state.at("/curves/hit@10/smoothed/" + policy).size()).isGreaterThanOrEqualTo(1);
        }
        JsonNode board = state.at("/leaderboard");
        assertThat(board.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < board.size(); i++)
            assertThat(board.get(i).path("ndcg@10").asDouble())
                    .as("ranked by NDCG")
                    .isLessThanOrEqualTo(board.get(i - 1).path("ndcg@10").asDouble());
        assertThat(state.at("/status/jobState").asText()).isEqualTo("RUNNING");
        assertThat(state.at("/status/recommendations").asLong()).isBetween(1L, 4000L);
        assertThat(state.at("/status/job/trainSteps").isNumber()).isTrue();
        assertThat(state.at("/status/job/actorLatencyMs").asDouble()).isGreaterThan(0.0);
        assertThat(state.at("/slates/0/items").size()).isEqualTo(10);
        assertThat(state.at("/rates").size()).isGreaterThan(0);
        assertThat(get("http://localhost:" + dashboard + "/")).contains("echarts.min.js");
        assertThat(get("http://localhost:" + dashboard + "/echarts.min.js").length())
                .isGreaterThan(500_000);

        assertThat(demo.get()).as("the demo answered every event").isEqualTo(0);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Flink web UI at http://localhost:" + web)
                .contains("Prometheus metrics at http://localhost:" + prometheus + "/metrics")
                .contains("live dashboard at http://localhost:" + dashboard + "/")
                .contains("run report " + report.toAbsolutePath().resolve("index.html"));
        assertThat(Files.readString(report.resolve("index.html"))).contains("data:image/png;base64,", "drr");
    }

    /**
     * Every policy has two cumulative NDCG points, the job's metrics and the first rates came through (the demo is still
     * running).
     */
    private static boolean dashboardComplete(String body) {
        try {
            JsonNode s = Json.MAPPER.readTree(body);
            for (String policy : List.of("random", "popularity", "drr"))
                if (s.at("/curves/ndcg@10/cumulative/" + policy).size() < 2) return false;
            return s.at("/status/job/actorLatencyMs").asDouble() > 0
                    && s.at("/slates").size() > 0
                    && s.at("/rates").size() > 0 // a rate needs two samples of the counts: wait for them too
                    && s.at("/status/job/trainSteps").isNumber(); // the learner's gauge, in a sample of its own
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** GETs {@code url} until {@code ok} accepts the body (3 minutes at most). */
    private String poll(String url, java.util.function.Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            if (demo != null && demo.isDone())
                throw new AssertionError(url + " did not answer as expected while the demo ran; last answer: " + last
                        + "\ndemo output:\n" + console.toString(StandardCharsets.UTF_8));
            try {
                last = get(url);
                if (ok.test(last)) return last;
            } catch (IOException notYet) {
                // the endpoint starts with the MiniCluster
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " never answered as expected; last answer: " + last);
    }

    /** The largest value of a Prometheus series (over its label sets). */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{[^}]*} (\\S+)$")
                .matcher(metrics);
        double max = Double.NEGATIVE_INFINITY;
        while (m.find()) max = Math.max(max, Double.parseDouble(m.group(1)));
        assertThat(max).as(series + " present").isGreaterThan(Double.NEGATIVE_INFINITY);
        return max;
    }

    /** Serving has scored at least one micro-batch (its batch-size and latency gauges are no longer 0). */
    private static boolean batchScored(String metrics) {
        return positive(metrics, "actorBatchSize") && positive(metrics, "actorLatencyMs");
    }

    private static boolean positive(String metrics, String gauge) {
        Matcher m = Pattern.compile("(?m)^flink_taskmanager_job_task_operator_" + gauge + "\\{[^}]*} (\\S+)$")
                .matcher(metrics);
        while (m.find()) if (Double.parseDouble(m.group(1)) > 0) return true;
        return false;
    }
}
