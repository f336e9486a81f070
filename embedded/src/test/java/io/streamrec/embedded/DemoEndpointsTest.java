package io.streamrec.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A short demo serves Flink's web UI and the Prometheus reporter on localhost while it runs: the UI's /overview names
 * the running job, and the Prometheus endpoint carries streamrec's own series (the learner's steps, serving's
 * rejected weights, the dead letters) with plausible values.
 */
class DemoEndpointsTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theDemoServesFlinksWebUiAndPrometheusMetricsOnLocalhost() throws Exception {
        int web = freePort(), prometheus = freePort();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedStreamrec.run(
                        new String[] {
                            "--kafka-port",
                            "0",
                            "--web-port",
                            Integer.toString(web),
                            "--prometheus-port",
                            Integer.toString(prometheus),
                            "--users",
                            "100",
                            "--items",
                            "300",
                            "--events",
                            "4000",
                            "--eval.enabled",
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
                body -> body.contains("flink_taskmanager_job_task_operator_trainSteps")
                        && body.contains("flink_taskmanager_job_task_operator_actorLatencyMs")
                        && batchScored(body));
        assertThat(value(metrics, "flink_taskmanager_job_task_operator_trainSteps"))
                .isGreaterThanOrEqualTo(0);
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

        assertThat(demo.get()).as("the demo answered every event").isEqualTo(0);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Flink web UI at http://localhost:" + web)
                .contains("Prometheus metrics at http://localhost:" + prometheus + "/metrics");
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
    private static String poll(String url, java.util.function.Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
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

    /** Serving has scored at least one micro-batch (its batch-size gauge is no longer 0). */
    private static boolean batchScored(String metrics) {
        Matcher m = Pattern.compile("(?m)^flink_taskmanager_job_task_operator_actorBatchSize\\{[^}]*} (\\S+)$")
                .matcher(metrics);
        while (m.find()) if (Double.parseDouble(m.group(1)) > 0) return true;
        return false;
    }
}
