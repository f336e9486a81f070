package io.streamrec.embedded;

import io.streamrec.cli.Args;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.dashboard.DashboardCli;
import io.streamrec.dashboard.DashboardFeed;
import io.streamrec.dashboard.DashboardServer;
import io.streamrec.dashboard.DashboardState;
import io.streamrec.job.ReplayData;
import io.streamrec.job.StreamrecJob;
import io.streamrec.kafka.EmbeddedKafkaBroker;
import io.streamrec.offline.RunReport;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.replay.ReplaySummary;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default: an in-process Kafka broker, the topics, the Flink job on a MiniCluster and the replay
 * producer in one JVM, with live progress, sample slates and a summary; ends when every replayed event has been
 * answered (or runs until Ctrl-C with {@code --forever}).
 */
public final class EmbeddedStreamrec {
    static final String USAGE = """
            usage: ./streamrec demo [launcher options] [job options]

            launcher options:
              --kafka-port N        port of the in-process Kafka broker (default 9092; 0 = any free port)
              --ratings PATH        replay a MovieLens ratings file or folder (u.data, ratings.dat, ratings.csv)
              --movies PATH         MovieLens metadata for titles and genres (default: found beside --ratings)
              --users N --items N --events N --seed N
                                    simulator size (default 943 users, 1682 items, 50000 events, seed 42)
              --speed N             replay at N x real time (default: as fast as possible)
              --max-rate N          at most N events/s
              --limit N             replay at most N events
              --forever             keep running after the replay until Ctrl-C
              --idle-timeout-s N    give up waiting for recommendations after N quiet seconds (default 120)
              --web-port N          Flink's web UI on localhost:N (default 8081)
              --prometheus-port N   Flink's Prometheus metrics on localhost:N/metrics (default 9249)
              --dashboard-port N    the live evaluation dashboard on localhost:N (default 8050; 0 = any free port)
              --web-host H          serve the web UI and the dashboard on H instead of localhost (e.g. 0.0.0.0)
              --closed-loop         instead of a replay: simulated users answer the recommendations (./streamrec
                                    simulate in-process) on the same catalogue; ends with their sessions' return
              --loop-users N --steps N
                                    closed loop: simulated users (default 140: 20 per policy), slates each (default 60)
              --help

            job options: every key of docs/configuration.md, e.g. --k 20 --parallelism 1
            """;

    /** The launcher's own valued options (the rest are job options): the replay's and the endpoints'. */
    private static final Set<String> LAUNCHER_OPTIONS = Stream.concat(
                    Stream.of(
                            "kafka-port",
                            "ratings",
                            "movies",
                            "users",
                            "items",
                            "events",
                            "seed",
                            "speed",
                            "max-rate",
                            "limit",
                            "idle-timeout-s",
                            "loop-users",
                            "steps"),
                    Endpoints.OPTIONS.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private EmbeddedStreamrec() {}

    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("streamrec demo: " + e.getMessage());
            System.err.println("(./streamrec demo --help lists the options)");
            code = 2;
        } catch (Throwable t) {
            java.net.BindException taken = portInUse(t);
            if (taken != null) {
                System.err.println("streamrec demo: a port is in use (" + taken.getMessage() + "); is another demo "
                        + "running? Choose others with --kafka-port, --web-port, --prometheus-port, --dashboard-port");
                code = 2;
            } else {
                System.err.println("streamrec demo failed: " + t);
                t.printStackTrace();
                code = 1;
            }
        }
        System.exit(code);
    }

    private static java.net.BindException portInUse(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof java.net.BindException b) return b;
        return null;
    }

    /** Runs the embedded default; returns the process exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = Args.parse(args, Set.of("help", "forever", "closed-loop"), LAUNCHER_OPTIONS, true);
        if (parsed.has("help")) {
            out.print(USAGE);
            return 0;
        }
        Map<String, String> launcher = parsed.options();
        List<String> jobArgs = parsed.rest();
        int kafkaPort = Integer.parseInt(launcher.getOrDefault("kafka-port", "9092"));
        // The demo is an experiment: it judges every user (the job's default judges a slice, see eval.sample).
        jobArgs = Args.withDefault(jobArgs, "eval.sample", "1");
        // ... and draws its curves live: a point every 2,000 events rather than the job's 10,000.
        jobArgs = Args.withDefault(jobArgs, "eval.window.events", "2000");
        // A MovieLens replay is one too: the learner keeps its replay ratio exactly (sync pacing), so the result
        // does not depend on how fast or loaded the machine is. --learner.pacing live overrides.
        if (launcher.containsKey("ratings")) jobArgs = Args.withDefault(jobArgs, "learner.pacing", "sync");
        // The closed loop is an online A/B test: each simulated user sees one policy's slates (policy-slates).
        if (launcher.containsKey("closed-loop")) {
            jobArgs = Args.withDefault(jobArgs, "loop.cohorts", "true");
            jobArgs = Args.withDefault(jobArgs, "eval.publish.slates", "true");
            // Every policy drives a cohort, SlateQ and REINFORCE with top-K correction too (not in the job's default
            // list: a full softmax update per event costs a whole catalogue's dot products).
            jobArgs = Args.withDefault(
                    jobArgs, "policies", "random,popularity,itemknn,mf,linucb,genreq,slateq,reinforce,drr");
        } else if (Double.parseDouble(launcher.getOrDefault("speed", "0")) == 0) {
            // A replay as fast as possible is an experiment: the same command gives the same table (the log is
            // written first, the job reads it to its end in event-time order; see replay.deterministic). A paced
            // replay (--speed) streams live.
            jobArgs = Args.withDefault(jobArgs, "replay.deterministic", "true");
        }

        // The data first: a bad path must fail before anything is started.
        ReplayData replay = ReplayData.load(launcher, 50_000);
        out.printf(
                Locale.ROOT,
                "streamrec: %s — %,d events, %,d items%n",
                replay.description(),
                replay.events().size(),
                replay.catalog().size());

        Path work = Files.createTempDirectory("streamrec-demo");
        // The end of the run (summary, evaluation, report) is printed once the job and the broker have stopped, so
        // it is the last thing on the console: nothing the shutdown logs comes after it.
        ByteArrayOutputStream endBytes = new ByteArrayOutputStream();
        PrintStream end = new PrintStream(endBytes, true, StandardCharsets.UTF_8);
        try {
            return runWith(launcher, kafkaPort, jobArgs, replay, work, out, end);
        } finally {
            out.print(endBytes.toString(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static int runWith(
            Map<String, String> launcher,
            int kafkaPort,
            List<String> jobArgs,
            ReplayData replay,
            Path work,
            PrintStream out,
            PrintStream end)
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaPort, work.resolve("kafka"))) {
            List<String> all = new ArrayList<>(List.of(
                    "--bootstrap.servers", broker.bootstrapServers(),
                    "--checkpoint.dir", work.resolve("checkpoints").toUri().toString()));
            all.addAll(jobArgs);
            StreamrecConfig config = StreamrecConfig.fromArgs(all.toArray(String[]::new));
            int partitions = config.getInt(ConfigKey.PARALLELISM);
            broker.createTopics(
                    partitions,
                    config.get(ConfigKey.TOPIC_RECOMMENDATIONS),
                    config.get(ConfigKey.TOPIC_TRANSITIONS),
                    config.get(ConfigKey.TOPIC_METRICS));
            // Bad records up to ~1 MB must reach the job and their dead letters (base64) the DLQ.
            Map<String, String> large = Map.of("max.message.bytes", Integer.toString(Topics.LARGE_RECORD_MAX_BYTES));
            broker.createTopic(config.get(ConfigKey.TOPIC_RATINGS), partitions, large);
            broker.createTopic(config.get(ConfigKey.TOPIC_DLQ), partitions, large);
            if (config.getBoolean(ConfigKey.EVAL_PUBLISH_SLATES))
                broker.createTopics(partitions, config.get(ConfigKey.TOPIC_POLICY_SLATES));
            broker.createTopic(
                    config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS),
                    1,
                    Map.of("cleanup.policy", "compact", "max.message.bytes", config.get(ConfigKey.PUBLISH_MAX_BYTES)));
            out.println("streamrec: Kafka broker at " + broker.bootstrapServers()
                    + " (any Kafka client can read the topics)");
            out.println("streamrec: configuration " + config);

            boolean deterministic = config.getBoolean(ConfigKey.REPLAY_DETERMINISTIC);
            // A deterministic replay reads the topic to the end offsets it finds at its start: write the log first.
            ReplaySummary written =
                    deterministic && !launcher.containsKey("closed-loop") ? replay(config, launcher, replay) : null;
            if (written != null) out.println("streamrec: replay written to Kafka — " + written.line());
            Configuration flink = Endpoints.flinkConfiguration(config, launcher);
            StreamExecutionEnvironment env = Endpoints.localEnvironment(config, flink);
            JobClient job = StreamrecJob.fromKafka(config, replay.catalog()).executeAsync(env, "streamrec");
            out.println("streamrec: Flink job " + job.getJobID() + " running on a MiniCluster");
            out.println("streamrec: " + Endpoints.describe(flink));
            DashboardState dashboardState = new DashboardState("streamrec demo — " + replay.description());
            try (DashboardFeed feed = DashboardCli.start(dashboardState, config, Endpoints.restUrl(flink));
                    DashboardServer dashboard = Endpoints.dashboard(dashboardState, launcher);
                    LiveMonitor monitor =
                            new LiveMonitor(config, replay.catalog(), expectedAnswers(launcher, replay), out)) {
                out.println("streamrec: live dashboard at " + dashboard.url());
                monitor.start();
                long started = System.nanoTime();
                if (launcher.containsKey("closed-loop")) {
                    String loop = ClosedLoopDemo.run(config, launcher, replay.catalog(), out);
                    monitor.close(); // the summary ends the output: no progress line after it
                    end.println(loop);
                    printEvaluation(config, replay.description(), end);
                    return 0;
                }
                ReplaySummary summary = written != null ? written : replay(config, launcher, replay);
                if (written == null) out.println("streamrec: producer done — " + summary.line());
                if (Boolean.parseBoolean(launcher.get("forever"))) {
                    out.println("streamrec: replay finished; still running — Ctrl-C to stop");
                    Thread.currentThread().join();
                }
                boolean complete = monitor.awaitRecommendations(
                        summary.acknowledged(),
                        TimeUnit.SECONDS.toMillis(Long.parseLong(launcher.getOrDefault("idle-timeout-s", "120"))));
                if (deterministic && complete) {
                    // The job ends by itself at the end of the log; its evaluator's last records (every slate judged
                    // with the future the log has) are written by then.
                    job.getJobExecutionResult().get(10, TimeUnit.MINUTES);
                }
                monitor.close(); // the summary ends the output: no progress line after it
                monitor.printSummary(summary, (System.nanoTime() - started) / 1e9, end);
                if (config.getBoolean(ConfigKey.LEARNER_ENABLED)) {
                    end.println("streamrec: "
                            + LearnerSummary.read(
                                    config.get(ConfigKey.BOOTSTRAP_SERVERS),
                                    config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS),
                                    config.kafkaProperties()));
                }
                printEvaluation(config, replay.description(), end);
                return complete ? 0 : 1;
            } finally {
                // Stop the job — all the way — before the broker goes away, or its Kafka clients warn and retry
                // against a dead port after the summary.
                try {
                    if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                        job.cancel().get(30, TimeUnit.SECONDS);
                    }
                } catch (Exception ended) {
                    // a deterministic replay's job may have finished and its MiniCluster gone already
                }
                try {
                    job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
                } catch (Exception cancelled) {
                    // the expected end: the job was cancelled (its MiniCluster shuts down with it)
                }
            }
        }
    }

    private static void printEvaluation(StreamrecConfig config, String description, PrintStream out)
            throws java.io.IOException {
        if (config.getBoolean(ConfigKey.EVAL_ENABLED)) {
            // The evaluator publishes cumulative metrics every few seconds; the last slates of each user stay
            // pending (their future has not happened yet) in an unbounded run.
            MetricsSummary.Read metrics = MetricsSummary.read(
                    config.get(ConfigKey.BOOTSTRAP_SERVERS),
                    config.get(ConfigKey.TOPIC_METRICS),
                    config.kafkaProperties(),
                    Duration.ofSeconds(8),
                    Duration.ofSeconds(40));
            List<PolicyMetrics> drrWindows = metrics.windows().getOrDefault("drr", List.of());
            if (!drrWindows.isEmpty()) {
                out.println("streamrec: drr over the replay (windows of " + config.get(ConfigKey.EVAL_WINDOW_EVENTS)
                        + " events):");
                out.print(MetricsSummary.formatWindows("drr", drrWindows));
            }
            out.println("streamrec: online evaluation (prequential, test-then-learn; cumulative, horizon "
                    + config.getInt(ConfigKey.EVAL_HORIZON) + " ratings):");
            out.print(MetricsSummary.format(metrics.cumulative()));
            out.println("streamrec: " + StageSettings.evaluationSlice(config).describe());
            RunReport report = new RunReport(Path.of(config.get(ConfigKey.REPORT_DIR)), config, description);
            report.addStream(metrics.all());
            out.println(
                    "streamrec: run report " + report.write().toAbsolutePath().resolve("index.html"));
        }
    }

    private static ReplaySummary replay(StreamrecConfig config, Map<String, String> launcher, ReplayData replay) {
        ReplayOptions options = ReplayOptions.defaults()
                .withTopic(config.get(ConfigKey.TOPIC_RATINGS))
                .withSpeed(Double.parseDouble(launcher.getOrDefault("speed", "0")))
                .withMaxRate(Double.parseDouble(launcher.getOrDefault("max-rate", "0")))
                .withLimit(Long.parseLong(launcher.getOrDefault("limit", Long.toString(Long.MAX_VALUE))))
                .withProgressIntervalMillis(0); // the monitor prints one combined progress line
        Properties props = ProducerSettings.build(
                config.get(ConfigKey.BOOTSTRAP_SERVERS), config.kafkaProperties(), new ArrayList<>());
        try (ReplayProducer producer = ReplayProducer.create(props, options, System.out)) {
            return producer.replay(replay.events(), replay.malformed());
        }
    }

    /** What the progress line counts toward: the replay's events, or the closed loop's slates (one per rating). */
    private static long expectedAnswers(Map<String, String> launcher, ReplayData replay) {
        if (!launcher.containsKey("closed-loop")) return replay.events().size();
        // each user's first rating and one after each slate but its last: a slate per step
        return ClosedLoopDemo.users(launcher) * ClosedLoopDemo.steps(launcher);
    }
}
