package io.streamrec.embedded;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * What the demo serves besides Kafka, as on any Flink cluster: Flink's web UI (job graph, back pressure, checkpoints,
 * metrics; {@code flink-runtime-web}) and the Prometheus reporter ({@code flink-metrics-prometheus}). Everything binds
 * to localhost: a demo on a laptop must not open its RPC, blob or UI ports to the network.
 */
final class Endpoints {
    static final String PROMETHEUS = "metrics.reporter.prom.";

    private Endpoints() {}

    static Configuration configure(Configuration flink, int webPort, int prometheusPort) {
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(RestOptions.BIND_PORT, Integer.toString(webPort));
        flink.set(JobManagerOptions.BIND_HOST, "localhost");
        flink.set(JobManagerOptions.ADDRESS, "localhost");
        flink.set(TaskManagerOptions.BIND_HOST, "localhost");
        flink.set(TaskManagerOptions.HOST, "localhost");
        flink.setString(PROMETHEUS + "factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString(PROMETHEUS + "port", Integer.toString(prometheusPort));
        return flink;
    }

    /** Flink's REST API (the web UI's), where the dashboard reads the job's metrics. */
    static String restUrl(Configuration flink) {
        return "http://localhost:" + flink.get(RestOptions.BIND_PORT);
    }

    static String describe(Configuration flink) {
        return "Flink web UI at http://localhost:" + flink.get(RestOptions.BIND_PORT)
                + " — Prometheus metrics at http://localhost:" + flink.getString(PROMETHEUS + "port", "?")
                + "/metrics";
    }
}
