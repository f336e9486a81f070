package io.streamrec.embedded;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.dashboard.DashboardServer;
import io.streamrec.dashboard.DashboardState;
import io.streamrec.job.StreamrecJob;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the demo serves besides Kafka, as on any Flink cluster: Flink's web UI (job graph, back pressure, checkpoints,
 * metrics; {@code flink-runtime-web}) and the Prometheus reporter ({@code flink-metrics-prometheus}). Everything binds
 * to localhost: a demo on a laptop must not open its RPC, blob or UI ports to the network. {@code --web-host} moves
 * the web UI and the dashboard (what a person looks at, e.g. from outside a VM); RPC and blob stay on localhost.
 */
final class Endpoints {
    static final String PROMETHEUS = "metrics.reporter.prom.";

    private Endpoints() {}

    /** The launcher options that set the ports. */
    static final Set<String> OPTIONS = Set.of("web-port", "prometheus-port", "dashboard-port", "web-host");

    /** Where the web UI and the dashboard listen: localhost unless {@code --web-host} says otherwise (e.g. 0.0.0.0). */
    static String webHost(Map<String, String> options) {
        return options.getOrDefault("web-host", "localhost");
    }

    /** The job's Flink configuration, serving the web UI and the reporter on the options' ports (or the defaults). */
    static Configuration flinkConfiguration(StreamrecConfig config, Map<String, String> options) {
        Configuration flink = configure(
                StreamrecJob.flinkConfiguration(config),
                Integer.parseInt(options.getOrDefault("web-port", "8081")),
                Integer.parseInt(options.getOrDefault("prometheus-port", "9249")));
        flink.set(RestOptions.BIND_ADDRESS, webHost(options));
        return flink;
    }

    /** A MiniCluster environment for the job. */
    static StreamExecutionEnvironment localEnvironment(StreamrecConfig config, Configuration flink) {
        return StreamExecutionEnvironment.createLocalEnvironment(config.getInt(ConfigKey.PARALLELISM), flink);
    }

    /** The live dashboard of {@code state} on the options' host and dashboard port (or the defaults). */
    static DashboardServer dashboard(DashboardState state, Map<String, String> options) throws IOException {
        String port = options.getOrDefault("dashboard-port", Integer.toString(DashboardServer.DEFAULT_PORT));
        return DashboardServer.start(state, webHost(options), Integer.parseInt(port));
    }

    static Configuration configure(Configuration flink, int webPort, int prometheusPort) {
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(RestOptions.BIND_PORT, Integer.toString(webPort));
        flink.set(JobManagerOptions.BIND_HOST, "localhost");
        flink.set(JobManagerOptions.ADDRESS, "localhost");
        flink.set(TaskManagerOptions.BIND_HOST, "localhost");
        flink.set(TaskManagerOptions.HOST, "localhost");
        // The web UI's and the dashboard's metrics refresh every 2 s instead of Flink's 10 s: one local job, a cheap
        // fetch, and a short demo would otherwise end before its serving gauges reach the dashboard.
        flink.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(2));
        flink.setString(PROMETHEUS + "factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString(PROMETHEUS + "port", Integer.toString(prometheusPort));
        return flink;
    }

    /** Flink's REST API (the web UI's), where the dashboard reads the job's metrics. */
    static String restUrl(Configuration flink) {
        return "http://" + reachable(flink.get(RestOptions.BIND_ADDRESS)) + ":" + flink.get(RestOptions.BIND_PORT);
    }

    /** A wildcard bind address is reached on localhost; any other as bound. */
    private static String reachable(String bindAddress) {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "localhost" : bindAddress;
    }

    static String describe(Configuration flink) {
        return "Flink web UI at " + restUrl(flink)
                + " — Prometheus metrics at http://localhost:" + flink.getString(PROMETHEUS + "port", "?")
                + "/metrics";
    }
}
