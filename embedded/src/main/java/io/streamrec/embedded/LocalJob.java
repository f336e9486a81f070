package io.streamrec.embedded;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.dashboard.DashboardCli;
import io.streamrec.dashboard.DashboardFeed;
import io.streamrec.dashboard.DashboardServer;
import io.streamrec.dashboard.DashboardState;
import io.streamrec.job.CatalogLoader;
import io.streamrec.job.StreamrecJob;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./streamrec job}: the Flink job on a local MiniCluster against an existing Kafka, watched as on a cluster —
 * Flink's web UI, the Prometheus reporter and the live dashboard on localhost. On a real cluster the job's jar runs
 * {@link StreamrecJob#main} instead, and the cluster serves the UI and the reporter.
 */
public final class LocalJob {
    private LocalJob() {}

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, Set.of(), Endpoints.OPTIONS, true);
        Map<String, String> own = parsed.options();
        StreamrecConfig config = StreamrecConfig.fromArgs(parsed.rest().toArray(String[]::new));
        ItemCatalog catalog = CatalogLoader.load(config);
        Configuration flink = Endpoints.flinkConfiguration(config, own);
        StreamExecutionEnvironment env = Endpoints.localEnvironment(config, flink);
        DashboardState state = new DashboardState("streamrec job — " + config.get(ConfigKey.BOOTSTRAP_SERVERS));
        try (DashboardFeed feed = DashboardCli.start(state, config, Endpoints.restUrl(flink));
                DashboardServer dashboard = Endpoints.dashboard(state, own)) {
            System.out.println(
                    "streamrec job: " + Endpoints.describe(flink) + " — live dashboard at " + dashboard.url());
            StreamrecJob.fromKafka(config, catalog).build(env);
            env.execute("streamrec");
        }
    }
}
