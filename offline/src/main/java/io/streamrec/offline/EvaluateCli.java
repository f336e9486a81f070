package io.streamrec.offline;

import io.streamrec.cli.Args;
import io.streamrec.closedloop.InterestEvolution;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.SeedSummary;
import io.streamrec.eval.SummaryTable;
import io.streamrec.job.ReplayData;
import io.streamrec.movielens.EventLog;
import io.streamrec.policy.Policies;
import io.streamrec.schema.PolicyMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./streamrec evaluate}: the evaluation protocols on a MovieLens file or the simulator, without Kafka or
 * Flink. {@code --protocol prequential} replays the stream test-then-learn (the job's online protocol, DRR included;
 * {@code --seeds N} repeats it over N seeds with intervals);
 * {@code drr} is the public DRR code's offline protocol (leaks future ratings, see {@link OfflineProtocols});
 * {@code temporal} a leak-free temporal split; {@code all} runs the three. Every job key is accepted
 * ({@code --policies}, {@code --k}, {@code --report.dir}, ...).
 */
public final class EvaluateCli {
    static final String USAGE = """
            usage: ./streamrec evaluate [--ratings PATH] [--movies PATH] [--protocol prequential|drr|temporal|all] [job options]

              --ratings PATH   MovieLens ratings file or folder (default: the simulator, --users/--items/--events/--seed)
              --protocol P     prequential (default), drr (public DRR code's 80/20 user split; leaks future ratings),
                               temporal (leak-free split by time), all; closed-loop: cohorts of RecSim
                               interest-evolution users served by the policies (no data file; see docs/closed-loop.md)
              closed-loop: --users N (per cohort, 1000) --sessions N (per user, 3) --items N (catalogue, 1000)
                               --candidates N (per step, 20) --k N (slate, 2) --seeds N --seed S (the world's)
                               --cohorts random,slateq,drr,oracle-quality,... (default: random, the classical and RL
                               policies, the two oracles) --threads N (cohorts run in parallel, 2)
              --seeds N        prequential: run N seeds (actor.seed, learner.seed and policy.seed + 0..N-1) and print
                               each policy's mean with its 95 % interval and DRR's ratio to the best other policy
              --skip N         start at the N-th event in time order (a later slice of the data; policies start cold)
              --no-report      skip the run report (report.dir)
            job options: e.g. --policies random,popularity,itemknn,mf --k 10 --eval.horizon 10 --report.dir out/
            """;

    private EvaluateCli() {}

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("streamrec evaluate: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Seed {@code offset} of a multi-seed run: the actor's, the learner's and the baselines' seeds moved by it. */
    static StreamrecConfig withSeedOffset(StreamrecConfig config, int offset) {
        return config.with(ConfigKey.ACTOR_SEED, config.getLong(ConfigKey.ACTOR_SEED) + offset)
                .with(ConfigKey.LEARNER_SEED, config.getLong(ConfigKey.LEARNER_SEED) + offset)
                .with(ConfigKey.POLICY_SEED, config.getLong(ConfigKey.POLICY_SEED) + offset);
    }

    /** The data from its {@code skip}-th event on (time order). */
    static ReplayData laterSlice(ReplayData data, int skip) {
        if (skip == 0) return data;
        EventLog all = data.events();
        if (skip < 0 || skip >= all.size())
            throw new IllegalArgumentException("--skip must be in [0, " + all.size() + "), not " + skip);
        EventLog rest = new EventLog(all.size() - skip);
        for (int e = skip; e < all.size(); e++) rest.add(all.get(e));
        return new ReplayData(data.description() + ", from event " + skip, rest, data.malformed(), data.catalog());
    }

    private static String seedLabel(StreamrecConfig c) {
        return String.format(
                Locale.ROOT,
                ", actor.seed %d, learner.seed %d, policy.seed %d",
                c.getLong(ConfigKey.ACTOR_SEED),
                c.getLong(ConfigKey.LEARNER_SEED),
                c.getLong(ConfigKey.POLICY_SEED));
    }

    /** The default cohorts of {@code --protocol closed-loop}: random, the myopic policies, the RL ones, the oracles. */
    static final String CLOSED_LOOP_COHORTS =
            "random,popularity,itemknn,mf,linucb,genreq,reinforce,slateq,drr,oracle-clicks,oracle-quality";

    static int closedLoop(Map<String, String> own, List<String> rest, PrintStream out) throws IOException {
        // The world's slate of 2; SlateQ learns session returns, the world's sessions having ends.
        List<String> jobArgs = Args.withDefault(Args.withDefault(rest, "k", "2"), "slateq.returns", "session");
        StreamrecConfig config = StreamrecConfig.fromArgs(jobArgs.toArray(String[]::new));
        List<String> cohorts = new ArrayList<>();
        for (String c : own.getOrDefault("cohorts", CLOSED_LOOP_COHORTS).split(",")) {
            if (c.isBlank()) continue;
            if (!ClosedLoopProtocol.known().contains(c.trim()))
                throw new IllegalArgumentException(
                        "unknown cohort '" + c.trim() + "'; known: " + ClosedLoopProtocol.known());
            cohorts.add(c.trim());
        }
        InterestEvolution.Parameters world = InterestEvolution.Parameters.recsim()
                .withSlate(Integer.parseInt(own.getOrDefault("candidates", "20")), config.getInt(ConfigKey.K));
        int seeds = Integer.parseInt(own.getOrDefault("seeds", "1"));
        long seed = Long.parseLong(own.getOrDefault("seed", "1"));
        List<ClosedLoopProtocol.Settings> settings = new ArrayList<>();
        List<StreamrecConfig> configs = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            settings.add(new ClosedLoopProtocol.Settings(
                    world,
                    Integer.parseInt(own.getOrDefault("items", "1000")),
                    Integer.parseInt(own.getOrDefault("users", "1000")),
                    Integer.parseInt(own.getOrDefault("sessions", "3")),
                    seed + i));
            configs.add(withSeedOffset(config, i));
        }
        int threads = Integer.parseInt(own.getOrDefault(
                "threads", Integer.toString(Math.min(2, Runtime.getRuntime().availableProcessors()))));
        long t0 = System.nanoTime();
        List<List<ClosedLoopProtocol.Cohort>> runs =
                ClosedLoopProtocol.run(settings, configs, cohorts, threads, line -> {
                    synchronized (out) {
                        out.println(line);
                    }
                });
        for (int i = 0; i < seeds; i++) {
            ClosedLoopProtocol.Settings s = settings.get(i);
            out.printf(
                    Locale.ROOT,
                    "%nclosed loop, world seed %d%s: %,d users × %d sessions per cohort, %d candidates, slate %d,"
                            + " catalogue %d; per session:%n",
                    s.seed(),
                    seedLabel(configs.get(i)),
                    s.users(),
                    s.sessions(),
                    world.candidates(),
                    world.slateSize(),
                    s.catalogue());
            out.print(ClosedLoopProtocol.format(List.of(runs.get(i))));
        }
        out.printf(
                Locale.ROOT,
                "%n%d cohorts × %d seeds in %.1f s on %d threads%n",
                cohorts.size(),
                seeds,
                (System.nanoTime() - t0) / 1e9,
                threads);
        StringBuilder tables = new StringBuilder();
        if (seeds > 1) {
            tables.append(String.format(
                    Locale.ROOT,
                    "closed loop over %d seeds: mean per session ± 95 %% interval (Student's t)%n",
                    seeds));
            tables.append(ClosedLoopProtocol.format(runs));
            tables.append(String.format(Locale.ROOT, "%nreturn per session index (the learning curve):%n"));
            tables.append(ClosedLoopProtocol.formatCurves(runs));
            tables.append('\n');
            for (String line : ClosedLoopProtocol.ratios(runs))
                tables.append(line).append('\n');
            out.println();
            out.print(tables);
        } else {
            tables.append(ClosedLoopProtocol.format(runs));
            tables.append(String.format(Locale.ROOT, "%nreturn per session index (the learning curve):%n"));
            tables.append(ClosedLoopProtocol.formatCurves(runs));
            out.printf(Locale.ROOT, "%nreturn per session index (the learning curve):%n");
            out.print(ClosedLoopProtocol.formatCurves(runs));
        }
        if (!own.containsKey("no-report")) {
            String description = String.format(
                    Locale.ROOT,
                    "RecSim interest evolution, %s users × %s sessions per cohort, %d candidates, slate %d, catalogue"
                            + " %s, world seeds %d..%d",
                    own.getOrDefault("users", "1000"),
                    own.getOrDefault("sessions", "3"),
                    world.candidates(),
                    world.slateSize(),
                    own.getOrDefault("items", "1000"),
                    seed,
                    seed + seeds - 1);
            Path page = ClosedLoopCurves.write(
                    Path.of(config.get(ConfigKey.REPORT_DIR)), description, tables.toString(), runs);
            out.println("\nclosed-loop report: " + page.toAbsolutePath());
        }
        return 0;
    }

    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = Args.parse(
                args,
                Set.of("help", "no-report"),
                Set.of(
                        "ratings",
                        "movies",
                        "protocol",
                        "users",
                        "items",
                        "events",
                        "seed",
                        "seeds",
                        "skip",
                        "sessions",
                        "candidates",
                        "cohorts",
                        "threads"),
                true);
        if (parsed.has("help")) {
            out.print(USAGE);
            return 0;
        }
        Map<String, String> own = parsed.options();
        if ("closed-loop".equals(own.get("protocol"))) return closedLoop(own, parsed.rest(), out);
        // An offline comparison judges every user unless told otherwise (the job's default judges a slice).
        List<String> jobArgs = Args.withDefault(parsed.rest(), "eval.sample", "1");
        StreamrecConfig config = StreamrecConfig.fromArgs(jobArgs.toArray(String[]::new));
        ReplayData data = laterSlice(ReplayData.load(own, 100_000), Integer.parseInt(own.getOrDefault("skip", "0")));
        List<String> policies = StageSettings.policiesNamed(config);
        String protocol = own.getOrDefault("protocol", "prequential");
        out.printf(
                Locale.ROOT,
                "streamrec evaluate: %s — %,d events, %,d items; policies %s%n",
                data.description(),
                data.events().size(),
                data.catalog().size(),
                policies);
        RunReport report = own.containsKey("no-report")
                ? null
                : new RunReport(Path.of(config.get(ConfigKey.REPORT_DIR)), config, data.description());
        int seeds = Integer.parseInt(own.getOrDefault("seeds", "1"));
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be at least 1");
        if (protocol.equals("prequential") || protocol.equals("all")) {
            int k = config.getInt(ConfigKey.K);
            SeedSummary summary = new SeedSummary();
            for (int s = 0; s < seeds; s++) {
                StreamrecConfig seeded = seeds == 1 ? config : withSeedOffset(config, s);
                OnlineReplay.Result r = OnlineReplay.run(data.events(), data.catalog(), seeded, policies);
                List<PolicyMetrics> cumulative = r.evaluator().cumulative();
                summary.add(cumulative);
                out.printf(
                        Locale.ROOT,
                        "%nprequential (test-then-learn, horizon %d, %.1f s)%s:%n",
                        config.getInt(ConfigKey.EVAL_HORIZON),
                        r.seconds(),
                        seeds == 1 ? "" : seedLabel(seeded));
                out.print(SummaryTable.format(cumulative));
                if (r.drr() != null) out.println(r.drr().summary());
                if (report != null && s == 0) report.addStream(r.metrics());
            }
            if (seeds > 1) {
                out.printf(Locale.ROOT, "%nprequential over %d seeds: mean ± 95 %% interval (Student's t)%n", seeds);
                out.print(summary.format(List.of("ndcg@" + k, "hit@" + k, "precision@" + k, "reward")));
                for (String drr : List.of(Policies.DRR_GREEDY, Policies.DRR)) {
                    for (String metric : List.of("ndcg@" + k, "hit@" + k)) {
                        SeedSummary.Ratio ratio = summary.ratioToBestOther(drr, metric);
                        if (ratio != null) out.println(ratio);
                    }
                }
            }
        }
        if (protocol.equals("drr") || protocol.equals("all")) {
            var rows = OfflineProtocols.drrProtocol(data.events(), data.catalog(), config, policies);
            out.println();
            out.println(OfflineProtocols.DRR_NOTE);
            out.print(OfflineProtocols.format(rows));
            if (report != null) report.addOffline("drr-protocol", rows);
        }
        if (protocol.equals("temporal") || protocol.equals("all")) {
            var rows = OfflineProtocols.temporalProtocol(data.events(), data.catalog(), config, policies);
            out.println();
            out.println(OfflineProtocols.TEMPORAL_NOTE);
            out.print(OfflineProtocols.format(rows));
            if (report != null) report.addOffline("temporal-split", rows);
        }
        if (!List.of("prequential", "drr", "temporal", "all").contains(protocol))
            throw new IllegalArgumentException("unknown --protocol " + protocol);
        if (report != null) out.println("\nrun report: " + report.write().toAbsolutePath());
        return 0;
    }
}
