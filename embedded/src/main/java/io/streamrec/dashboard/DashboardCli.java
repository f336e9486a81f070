package io.streamrec.dashboard;

import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ./streamrec dashboard}: the live dashboard for a job that runs elsewhere (a Flink cluster, another shell's
 * {@code ./streamrec job}), fed from its Kafka topics and its JobManager's REST API.
 */
public final class DashboardCli {
    static final String USAGE = """
            usage: ./streamrec dashboard [options] [job options]
              --bootstrap-servers HOST:PORT   the job's Kafka (default localhost:9092)
              --flink-rest URL                the JobManager's REST API for the job's metrics (default
                                              http://localhost:8081; "none": Kafka topics only)
              --port N                        serve the dashboard on N (default 8050)
              --host H                        bind to H (default localhost)
              --title T                       the page's title
            job options: the job's topic names and Kafka client settings as in docs/configuration.md
            (--topic.metrics, --topic.recommendations, --kafka.security.protocol, ...), when not the defaults.
            Runs until Ctrl-C.
            """;

    private DashboardCli() {}

    public static void main(String[] argv) throws Exception {
        try {
            run(argv, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("streamrec dashboard: " + e.getMessage());
            System.err.println("(./streamrec dashboard --help lists the options)");
            System.exit(2);
        }
    }

    static void run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(
                argv, Set.of("help"), Set.of("bootstrap-servers", "flink-rest", "port", "host", "title"), true);
        if (a.has("help")) {
            out.print(USAGE);
            return;
        }
        List<String> jobArgs = new ArrayList<>(a.rest());
        jobArgs.addAll(List.of("--bootstrap.servers", a.get("bootstrap-servers", "localhost:9092")));
        StreamrecConfig config = StreamrecConfig.fromArgs(jobArgs.toArray(String[]::new));
        String rest = a.get("flink-rest", "http://localhost:8081");
        DashboardState state =
                new DashboardState(a.get("title", "streamrec — " + config.get(ConfigKey.BOOTSTRAP_SERVERS)));
        try (DashboardFeed feed = start(state, config, rest.equals("none") ? null : rest);
                DashboardServer server = DashboardServer.start(
                        state,
                        a.get("host", "localhost"),
                        Integer.parseInt(a.get("port", Integer.toString(DashboardServer.DEFAULT_PORT))))) {
            out.println(
                    "streamrec dashboard at " + server.url() + " — reading " + config.get(ConfigKey.BOOTSTRAP_SERVERS)
                            + (rest.equals("none") ? "" : " and " + rest) + "; Ctrl-C to stop");
            Thread.currentThread().join();
        }
    }

    /** The feed of a job configured by {@code config}: its topics, its Kafka client settings. */
    public static DashboardFeed start(DashboardState state, StreamrecConfig config, String flinkRest) {
        return new DashboardFeed(
                        state,
                        config.get(ConfigKey.BOOTSTRAP_SERVERS),
                        config.kafkaProperties(),
                        new DashboardFeed.Topics(
                                config.get(ConfigKey.TOPIC_RATINGS),
                                config.get(ConfigKey.TOPIC_RECOMMENDATIONS),
                                config.get(ConfigKey.TOPIC_METRICS),
                                config.get(ConfigKey.TOPIC_DLQ),
                                config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS),
                                config.get(ConfigKey.TOPIC_POLICY_SLATES)),
                        flinkRest)
                .start();
    }
}
