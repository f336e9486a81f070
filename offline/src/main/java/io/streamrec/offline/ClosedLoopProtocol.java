package io.streamrec.offline;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.closedloop.InterestEvolution;
import io.streamrec.closedloop.InterestEvolution.User;
import io.streamrec.closedloop.InterestEvolution.Video;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.eval.SeedSummary;
import io.streamrec.job.DrrLoop;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.schema.Movie;
import io.streamrec.serving.GreedySlates;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The closed loop in one process, at scale: cohorts of RecSim interest-evolution users ({@link InterestEvolution})
 * served by the job's own policies — the plain-Java {@link Policy} classes and DRR through {@link DrrLoop} (serving,
 * reward joining and learning with the job's pieces) — step by step, each policy learning online from its own users'
 * clicks. No Kafka, no Flink: thousands of users per cohort fit on two cores, which the Kafka loop
 * ({@code ./streamrec simulate}) does not.
 *
 * <p>What a policy sees is what the job's stream carries: a click on video v is a rating event (user, v, 5 stars, time
 * after the watch); a step without a click is no event (DRR's joiner still counts it: the served slate drew no rating).
 * Each step, every active user gets a slate of {@code k} videos chosen among {@code candidates} videos drawn from the
 * catalogue (RecSim's candidate set; videos the user watched are not drawn again), passed to the policy as its usual
 * request whose excluded items are every video that is not a candidate. A user's sessions run until the budget is
 * spent; between sessions a gap longer than {@code session.gap.ms} passes (the joiner closes its slates) and the
 * interests stay as the last session left them. Every cohort sees the same users, catalogue and candidate draws (the
 * same seed): the cohorts differ only by what their policy does.
 *
 * <p>Two references that know the hidden state run beside the policies: {@code oracle-clicks} shows the candidates of
 * highest interest (the myopic optimum), {@code oracle-quality} the ones with most watch time per unit of budget.
 */
public final class ClosedLoopProtocol {
    public static final String ORACLE_CLICKS = "oracle-clicks";
    public static final String ORACLE_QUALITY = "oracle-quality";
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z
    static final long MINUTE = 60_000L;
    static final long SESSION_BREAK = 24 * 3_600_000L;

    /**
     * A run's shape.
     *
     * @param world      the user model's parameters (slate size and candidates included)
     * @param catalogue  videos in the catalogue (topics and qualities drawn as RecSim's video sampler draws them)
     * @param users      users per cohort
     * @param sessions   sessions per user
     * @param seed       seed of the world: users, catalogue, candidates and choices
     */
    public record Settings(InterestEvolution.Parameters world, int catalogue, int users, int sessions, long seed) {
        public Settings {
            if (users < 1 || sessions < 1) throw new IllegalArgumentException("need users and sessions");
            if (catalogue < world.candidates())
                throw new IllegalArgumentException("the catalogue must hold at least the " + world.candidates()
                        + " candidates of a step, not " + catalogue);
        }
    }

    /** One cohort's sessions: per session index, per user, what it watched, clicked, how many steps and quality. */
    public record Cohort(String name, double[][] watch, double[][] clicks, double[][] steps, double[][] quality) {
        /** Mean over users of session {@code s} (−1: over all sessions) of {@code x}. */
        public static double mean(double[][] x, int s) {
            double sum = 0;
            int n = 0;
            for (int i = s < 0 ? 0 : s; i < (s < 0 ? x.length : s + 1); i++) {
                for (double v : x[i]) sum += v;
                n += x[i].length;
            }
            return sum / n;
        }

        /** The mean quality of what was watched, weighted by clicks (NaN without clicks). */
        public double meanQuality(int s) {
            double q = 0, c = 0;
            for (int i = s < 0 ? 0 : s; i < (s < 0 ? quality.length : s + 1); i++) {
                for (int u = 0; u < quality[i].length; u++) {
                    q += quality[i][u];
                    c += clicks[i][u];
                }
            }
            return q / c;
        }
    }

    private ClosedLoopProtocol() {}

    /** The cohorts that maximise clicks without a model of the future: the classical policies. */
    public static final List<String> MYOPIC =
            List.of("popularity", "itemknn", "sr", "vsknn", "mf", "linucb", Policies.GENREQ);
    /** The cohorts that learn long-term value. */
    public static final List<String> RL = List.of("reinforce", "slateq", Policies.DRR);

    /** One cohort's table row over seeds: return, clicks, steps, click-through rate and quality per session. */
    public static String format(List<List<Cohort>> seeds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-15s %-18s %-16s %-16s %-16s %-16s%n",
                "cohort",
                "return (min)",
                "clicks",
                "steps",
                "click rate",
                "quality watched"));
        for (int c = 0; c < seeds.get(0).size(); c++) {
            int cohort = c;
            b.append(String.format(
                    Locale.ROOT,
                    "%-15s %-18s %-16s %-16s %-16s %-16s%n",
                    seeds.get(0).get(c).name(),
                    interval(seeds, r -> Cohort.mean(r.get(cohort).watch(), -1), "%.1f"),
                    interval(seeds, r -> Cohort.mean(r.get(cohort).clicks(), -1), "%.1f"),
                    interval(seeds, r -> Cohort.mean(r.get(cohort).steps(), -1), "%.1f"),
                    interval(
                            seeds,
                            r -> Cohort.mean(r.get(cohort).clicks(), -1)
                                    / Cohort.mean(r.get(cohort).steps(), -1),
                            "%.3f"),
                    interval(seeds, r -> r.get(cohort).meanQuality(-1), "%.2f")));
        }
        return b.toString();
    }

    /** Return per session index, each cohort a row: the learning curves. */
    public static String formatCurves(List<List<Cohort>> seeds) {
        int sessions = seeds.get(0).get(0).watch().length;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-15s", "cohort"));
        for (int s = 0; s < sessions; s++) b.append(String.format(Locale.ROOT, " %-16s", "session " + (s + 1)));
        b.append('\n');
        for (int c = 0; c < seeds.get(0).size(); c++) {
            int cohort = c;
            b.append(String.format(Locale.ROOT, "%-15s", seeds.get(0).get(c).name()));
            for (int s = 0; s < sessions; s++) {
                int session = s;
                b.append(' ')
                        .append(String.format(
                                Locale.ROOT,
                                "%-16s",
                                interval(seeds, r -> Cohort.mean(r.get(cohort).watch(), session), "%.1f")));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Each RL cohort's return as a ratio to the best myopic cohort (by mean) and to random, per seed (the cohorts of a
     * seed share users, so the ratio is paired), with its interval.
     */
    public static List<String> ratios(List<List<Cohort>> seeds) {
        List<String> names = seeds.get(0).stream().map(Cohort::name).toList();
        int best = -1;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < names.size(); c++) {
            if (!MYOPIC.contains(names.get(c))) continue;
            int cohort = c;
            double m = seeds.stream()
                    .mapToDouble(r -> Cohort.mean(r.get(cohort).watch(), -1))
                    .average()
                    .orElse(0);
            if (m > bestMean) {
                bestMean = m;
                best = c;
            }
        }
        int random = names.indexOf("random");
        List<String> out = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            if (!RL.contains(names.get(c))) continue;
            for (int base : new int[] {best, random}) {
                if (base < 0) continue;
                int cohort = c, against = base;
                out.add(String.format(
                        Locale.ROOT,
                        "%s return / %s return: %s",
                        names.get(c),
                        names.get(base),
                        interval(
                                seeds,
                                r -> Cohort.mean(r.get(cohort).watch(), -1)
                                        / Cohort.mean(r.get(against).watch(), -1),
                                "%.3f")));
            }
        }
        return out;
    }

    private static String interval(List<List<Cohort>> seeds, ToDoubleFunction<List<Cohort>> f, String format) {
        double[] xs = seeds.stream().mapToDouble(f).toArray();
        SeedSummary.Interval i = SeedSummary.interval(xs);
        String mean = String.format(Locale.ROOT, format, i.mean());
        return Double.isNaN(i.halfWidth()) ? mean : mean + " ± " + String.format(Locale.ROOT, format, i.halfWidth());
    }

    /** The cohorts this protocol knows: the job's policies, DRR and the two oracles. */
    public static List<String> known() {
        List<String> l = new ArrayList<>(Policies.known());
        l.add(ORACLE_CLICKS);
        l.add(ORACLE_QUALITY);
        return l;
    }

    /** Runs each cohort on the same users; {@code config} gives k (the slate), the policies' and DRR's settings. */
    public static List<Cohort> run(Settings s, StreamrecConfig config, List<String> cohorts) {
        return run(List.of(s), List.of(config), cohorts, 1, line -> {}).get(0);
    }

    /**
     * Every cohort of every seed ({@code seeds.get(i)} with {@code configs.get(i)}), on {@code threads} threads: the
     * cohorts are independent and each is deterministic, so the result does not depend on the threads. DRR cohorts run
     * one at a time on a thread of their own (one active gradient collector per JVM). {@code progress} gets a line per
     * finished cohort.
     */
    public static List<List<Cohort>> run(
            List<Settings> seeds,
            List<StreamrecConfig> configs,
            List<String> cohorts,
            int threads,
            Consumer<String> progress) {
        Cohort[][] out = new Cohort[seeds.size()][cohorts.size()];
        List<int[]> tasks = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) for (int c = 0; c < cohorts.size(); c++) tasks.add(new int[] {i, c});
        // DRR on one thread of its own (one active gradient collector per JVM), the other cohorts on the rest.
        ExecutorService drrPool = Executors.newSingleThreadExecutor();
        boolean anyDrr = cohorts.contains(Policies.DRR);
        ExecutorService otherPool =
                threads == 1 ? drrPool : Executors.newFixedThreadPool(anyDrr ? threads - 1 : threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int[] t : tasks) {
                String name = cohorts.get(t[1]);
                futures.add((name.equals(Policies.DRR) ? drrPool : otherPool).submit(() -> {
                    long t0 = System.nanoTime();
                    out[t[0]][t[1]] = runCohort(seeds.get(t[0]), configs.get(t[0]), name);
                    progress.accept(String.format(
                            Locale.ROOT,
                            "  world seed %d, cohort %-15s %.1f s",
                            seeds.get(t[0]).seed(),
                            name,
                            (System.nanoTime() - t0) / 1e9));
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            drrPool.shutdownNow();
            otherPool.shutdownNow();
        }
        List<List<Cohort>> result = new ArrayList<>();
        for (Cohort[] row : out) result.add(List.of(row));
        return result;
    }

    /** The catalogue of a world's seed: the same videos for every cohort. */
    static Video[] catalogue(InterestEvolution world, int size) {
        Video[] videos = new Video[size];
        for (int i = 0; i < size; i++) videos[i] = world.sampleVideo();
        return videos;
    }

    /** The videos as the job's item catalogue: item id = video id + 1, the topic as its one genre. */
    static ItemCatalog itemCatalog(Video[] videos) {
        List<Movie> movies = new ArrayList<>(videos.length);
        for (Video v : videos)
            movies.add(new Movie(v.id() + 1, "video " + (v.id() + 1), List.of("topic-" + v.topic())));
        return ItemCatalog.of(movies);
    }

    static Cohort runCohort(Settings s, StreamrecConfig config, String name) {
        InterestEvolution.Parameters p = s.world();
        int k = config.getInt(ConfigKey.K);
        if (k != p.slateSize())
            throw new IllegalArgumentException("k (" + k + ") must be the world's slate size " + p.slateSize());
        InterestEvolution world = new InterestEvolution(p, s.seed());
        Video[] videos = catalogue(world, s.catalogue());
        ItemCatalog catalog = itemCatalog(videos);
        User[] users = new User[s.users()];
        SplittableRandom[] draws = new SplittableRandom[s.users()];
        SplittableRandom root = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + 17);
        for (int u = 0; u < users.length; u++) {
            users[u] = world.newUser();
            draws[u] = root.split();
        }
        Server server = Server.of(name, catalog, config, p.slateSize());
        RequestBuilder history = new RequestBuilder(
                config.getInt(ConfigKey.WINDOW_SIZE), config.getDouble(ConfigKey.POSITIVE_THRESHOLD));
        double[][] watch = new double[s.sessions()][s.users()];
        double[][] clicks = new double[s.sessions()][s.users()];
        double[][] steps = new double[s.sessions()][s.users()];
        double[][] quality = new double[s.sessions()][s.users()];
        long[] clock = new long[s.users()];
        int[] lastItem = new int[s.users()];
        long[] stepCount = new long[s.users()];
        boolean[][] watched = new boolean[s.users()][videos.length];
        Arrays.fill(lastItem, -1);
        for (int u = 0; u < users.length; u++) clock[u] = START + u * 1_000L;
        try (server) {
            for (int session = 0; session < s.sessions(); session++) {
                List<Integer> active = new ArrayList<>();
                for (int u = 0; u < users.length; u++) {
                    if (session > 0) {
                        users[u].newSession();
                        clock[u] += SESSION_BREAK;
                        lastItem[u] = -1;
                    }
                    active.add(u);
                }
                while (!active.isEmpty()) {
                    List<RecommendationRequest> requests = new ArrayList<>(active.size());
                    List<Video[]> candidateSets = new ArrayList<>(active.size());
                    for (int u : active) {
                        Video[] candidates = drawCandidates(videos, watched[u], p.candidates(), draws[u]);
                        candidateSets.add(candidates);
                        requests.add(servingRequest(
                                history, u, ++stepCount[u], lastItem[u], clock[u], candidates, videos.length));
                    }
                    int[][] slates = server.slates(new Server.Step(requests, users, candidateSets, active));
                    List<Integer> still = new ArrayList<>(active.size());
                    for (int i = 0; i < active.size(); i++) {
                        int u = active.get(i);
                        Video[] shown = new Video[Math.min(p.slateSize(), slates[i].length)];
                        for (int j = 0; j < shown.length; j++) shown[j] = videos[slates[i][j] - 1];
                        InterestEvolution.Response r = users[u].respond(shown);
                        steps[session][u]++;
                        if (r.clicked() >= 0) {
                            Video v = shown[r.clicked()];
                            clock[u] += Math.max(1, Math.round(r.watchTime() * MINUTE));
                            watch[session][u] += r.watchTime();
                            clicks[session][u]++;
                            quality[session][u] += v.quality();
                            watched[u][v.id()] = true;
                            lastItem[u] = v.id() + 1;
                            RecommendationRequest event =
                                    history.next(u + "-" + stepCount[u] + "-click", u, v.id() + 1, 5f, clock[u]);
                            server.learn(event);
                        } else {
                            clock[u] += Math.round(p.stepPenalty() * MINUTE);
                            lastItem[u] = -1;
                        }
                        if (!users[u].done()) still.add(u);
                    }
                    active = still;
                }
            }
        }
        return new Cohort(name, watch, clicks, steps, quality);
    }

    /** {@code n} distinct catalogue videos the user has not watched (all unwatched ones when fewer are left). */
    static Video[] drawCandidates(Video[] videos, boolean[] watched, int n, SplittableRandom rng) {
        List<Video> out = new ArrayList<>(n);
        boolean[] taken = new boolean[videos.length];
        for (int tries = 0; out.size() < n && tries < 50 * n; tries++) {
            int i = rng.nextInt(videos.length);
            if (watched[i] || taken[i]) continue;
            taken[i] = true;
            out.add(videos[i]);
        }
        if (out.size() < n) { // nearly everything watched: take what is left in order
            for (int i = 0; i < videos.length && out.size() < n; i++) if (!watched[i] && !taken[i]) out.add(videos[i]);
        }
        if (out.isEmpty()) throw new IllegalStateException("the user watched the whole catalogue; use a larger one");
        return out.toArray(Video[]::new);
    }

    /**
     * The step's request: the user's history as the job keeps it, the last click as its trigger (none: item −1), and
     * every video that is not a candidate among the excluded ("rated") items, so the policy chooses among candidates.
     */
    static RecommendationRequest servingRequest(
            RequestBuilder history, int u, long step, int lastItem, long ts, Video[] candidates, int catalogue) {
        RecommendationRequest state = history.current(u, ts);
        boolean[] isCandidate = new boolean[catalogue + 1];
        for (Video v : candidates) isCandidate[v.id() + 1] = true;
        int[] excluded = new int[catalogue - candidates.length];
        int n = 0;
        for (int id = 1; id <= catalogue; id++) if (!isCandidate[id]) excluded[n++] = id;
        return new RecommendationRequest(
                u + "-" + step, u, lastItem, lastItem < 0 ? 0f : 5f, ts, state.window, Arrays.copyOf(excluded, n));
    }

    /** What chooses a cohort's slates and learns from its clicks. */
    private interface Server extends AutoCloseable {
        /** One step: request i is user {@code users[ids.get(i)]}'s, to be answered among {@code candidates.get(i)}. */
        record Step(List<RecommendationRequest> requests, User[] users, List<Video[]> candidates, List<Integer> ids) {}

        /** The step's slates, one per request. */
        int[][] slates(Step step);

        /** A click, as the rating event the job's stream would carry. */
        default void learn(RecommendationRequest event) {}

        @Override
        default void close() {}

        /** One request's slate: the request, its user (only the oracles look) and its candidates. */
        interface PerRequest {
            int[] slate(RecommendationRequest request, User user, Video[] candidates);
        }

        /** A server that answers each request on its own and learns from clicks with {@code learn}. */
        static Server perRequest(PerRequest slate, Consumer<RecommendationRequest> learn) {
            return new Server() {
                @Override
                public int[][] slates(Step step) {
                    List<RecommendationRequest> requests = step.requests();
                    int[][] out = new int[requests.size()][];
                    for (int i = 0; i < out.length; i++)
                        out[i] = slate.slate(
                                requests.get(i),
                                step.users()[step.ids().get(i)],
                                step.candidates().get(i));
                    return out;
                }

                @Override
                public void learn(RecommendationRequest event) {
                    learn.accept(event);
                }
            };
        }

        static Server of(String name, ItemCatalog catalog, StreamrecConfig config, int k) {
            switch (name) {
                case ORACLE_CLICKS:
                    return perRequest((r, user, c) -> top(c, v -> user.interest(v.topic()), k), e -> {});
                case ORACLE_QUALITY:
                    return perRequest((r, user, c) -> top(c, user::watchPerBudget, k), e -> {});
                case Policies.DRR:
                    return drr(DrrLoop.online(catalog, config));
                case Policies.DRR_GREEDY:
                    throw new IllegalArgumentException("drr-greedy is a shadow row, not a cohort: name drr");
                default:
                    Policy policy = Policies.create(name, new PolicyContext(catalog, StageSettings.policies(config)));
                    return perRequest((r, user, c) -> policy.recommend(r, k).items(), policy::update);
            }
        }

        /** The ids of the {@code k} candidates of highest {@code score}. */
        private static int[] top(Video[] candidates, ToDoubleFunction<Video> score, int k) {
            double[] sc = new double[candidates.length];
            Integer[] order = new Integer[candidates.length];
            for (int j = 0; j < candidates.length; j++) {
                sc[j] = score.applyAsDouble(candidates[j]);
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(sc[b], sc[a]));
            int[] out = new int[Math.min(k, candidates.length)];
            for (int j = 0; j < out.length; j++) out[j] = candidates[order[j]].id() + 1;
            return out;
        }

        /** DRR: a step's requests scored in chunks, each joined (its reward rules) and learned from as in the job. */
        private static Server drr(DrrLoop loop) {
            return new Server() {
                @Override
                public int[][] slates(Step step) {
                    List<RecommendationRequest> requests = step.requests();
                    int[][] out = new int[requests.size()][];
                    for (int from = 0; from < requests.size(); from += DrrLoop.CHUNK) {
                        List<RecommendationRequest> chunk =
                                requests.subList(from, Math.min(requests.size(), from + DrrLoop.CHUNK));
                        List<DrrLoop.Served> served = loop.serve(chunk, GreedySlates.EVERY_USER);
                        for (int i = 0; i < chunk.size(); i++) {
                            loop.join(chunk.get(i), served.get(i));
                            out[from + i] = served.get(i).servedItemIds();
                        }
                        loop.endChunk();
                    }
                    return out;
                }

                @Override
                public void close() {
                    loop.close();
                }
            };
        }
    }
}
