package io.streamrec.loop;

import io.streamrec.cli.Args;
import io.streamrec.closedloop.ClosedLoopUsers;
import io.streamrec.closedloop.Document;
import io.streamrec.closedloop.SessionSummary;
import io.streamrec.closedloop.UserModel;
import io.streamrec.movielens.MovieReader;
import io.streamrec.schema.Cohorts;
import io.streamrec.schema.Movie;
import io.streamrec.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** {@code ./streamrec simulate}: simulated users answering the job's recommendations through Kafka. */
public final class ClosedLoopCli {
    static final String USAGE = """
            usage: ./streamrec simulate [options]
              --bootstrap-servers HOST:PORT   (default localhost:9092)
              --ratings-topic T               where the users' ratings go (default ratings)
              --recommendations-topic T       the slates they answer (default recommendations)
              --movies PATH                   the job's catalogue: a MovieLens movies file or directory (topic =
                                              first genre); without it, --items N (ids 1..N, 18 topics)
              --items N                       (default 1682)
              --users N                       simulated users 1..N (default 100)
              --answers N                     stop after answering N recommendations (default: no limit)
              --steps N                       each user stops after N slates (default: no limit)
              --quiet-s S                     stop when no recommendation came for S seconds (default 60)
              --seed N                        (default 42)
              --metrics-topic T               also write each cohort's sessions, 20 at a time, to T (the job's
                                              metrics topic: scope closed-loop-sessions)
              --cohorts P1,P2,...             online A/B: each user answers only its cohort's policy's slates, read
                                              from --slates-topic (default policy-slates); the job must run with
                                              loop.cohorts=true, eval.publish.slates=true, eval.sample=1 and the
                                              same policies, in the same order
            Ends with the sessions' return (engagement, min/session), ctr, satisfaction and session length.
            """;

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(
                argv,
                Set.of("help"),
                Set.of(
                        "bootstrap-servers",
                        "ratings-topic",
                        "recommendations-topic",
                        "movies",
                        "items",
                        "users",
                        "answers",
                        "steps",
                        "quiet-s",
                        "seed",
                        "cohorts",
                        "slates-topic",
                        "metrics-topic"),
                false);
        if (a.has("help")) {
            System.out.print(USAGE);
            return;
        }
        long seed = Long.parseLong(a.get("seed", "42"));
        UserModel model = UserModel.defaults();
        List<Document> docs;
        if (a.has("movies")) {
            List<Movie> movies = MovieReader.read(Path.of(a.get("movies")));
            ClosedLoopUsers.Catalogue items = ClosedLoopUsers.byFirstGenre(
                    movies.stream().mapToInt(m -> m.itemId).toArray(),
                    movies.stream().map(m -> m.genres).toList(),
                    seed);
            model = model.withTopics(items.topics());
            docs = items.documents();
        } else {
            int n = Integer.parseInt(a.get("items", "1682"));
            int[] ids = new int[n];
            int[] topicOf = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = i + 1;
                topicOf[i] = i % model.topics();
            }
            docs = ClosedLoopUsers.documents(ids, topicOf, seed);
        }
        int users = Integer.parseInt(a.get("users", "100"));
        ClosedLoopUsers env = new ClosedLoopUsers(docs, model, seed, ClosedLoopClient.simulationStart());
        Cohorts cohorts =
                a.has("cohorts") ? new Cohorts(List.of(a.get("cohorts").split(","))) : null;
        String slates = cohorts == null
                ? a.get("recommendations-topic", Topics.RECOMMENDATIONS)
                : a.get("slates-topic", Topics.POLICY_SLATES);
        try (ClosedLoopClient client = new ClosedLoopClient(
                a.get("bootstrap-servers", "localhost:9092"),
                a.get("ratings-topic", Topics.RATINGS),
                slates,
                new Properties(),
                env,
                cohorts)) {
            if (a.has("steps")) client.withStepsPerUser(Long.parseLong(a.get("steps")));
            if (a.has("metrics-topic")) client.withMetrics(a.get("metrics-topic"), 20);
            client.start(users);
            System.out.printf(Locale.ROOT, "simulate: %d users started on %d items%n", users, docs.size());
            client.run(
                    a.has("answers") ? Long.parseLong(a.get("answers")) : Long.MAX_VALUE,
                    Duration.ofSeconds(Long.parseLong(a.get("quiet-s", "60"))));
            System.out.printf(
                    Locale.ROOT,
                    "simulate: sent %,d ratings, answered %,d slates (%,d other slates read, %,d times a user carried on without one)%n",
                    client.sent(),
                    client.answered(),
                    client.ignored(),
                    client.retries());
        }
        System.out.println(summary(env.sessions()));
        if (cohorts != null) System.out.print(table(env.sessions(), cohorts));
    }

    /**
     * One row per cohort (policy) over the finished sessions after each user's first (warm-up): users, sessions, the
     * mean return (engagement, min/session), ctr, satisfaction at the session's end and session length (slates).
     */
    public static String table(List<SessionSummary> sessions, Cohorts cohorts) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-12s %6s %9s %10s %7s %13s %15s%n",
                "cohort",
                "users",
                "sessions",
                "return",
                "ctr",
                "satisfaction",
                "session_length"));
        for (String policy : cohorts.policies()) {
            List<SessionSummary> mine = sessions.stream()
                    .filter(s -> s.session() >= 1 && cohorts.of(s.userId()).equals(policy))
                    .toList();
            long users =
                    mine.stream().mapToInt(SessionSummary::userId).distinct().count();
            b.append(String.format(
                    Locale.ROOT,
                    "%-12s %6d %9d %10.1f %7.3f %13.3f %15.1f%n",
                    policy,
                    users,
                    mine.size(),
                    mine.stream()
                            .mapToDouble(SessionSummary::engagement)
                            .average()
                            .orElse(Double.NaN),
                    mine.stream().mapToDouble(SessionSummary::ctr).average().orElse(Double.NaN),
                    mine.stream()
                            .mapToDouble(SessionSummary::satisfaction)
                            .average()
                            .orElse(Double.NaN),
                    mine.stream().mapToInt(SessionSummary::steps).average().orElse(Double.NaN)));
        }
        return b.toString();
    }

    /** One line of the finished sessions' means. */
    public static String summary(List<SessionSummary> sessions) {
        double ret = sessions.stream()
                .mapToDouble(SessionSummary::engagement)
                .average()
                .orElse(Double.NaN);
        double ctr =
                sessions.stream().mapToDouble(SessionSummary::ctr).average().orElse(Double.NaN);
        double sat = sessions.stream()
                .mapToDouble(SessionSummary::satisfaction)
                .average()
                .orElse(Double.NaN);
        double len = sessions.stream().mapToInt(SessionSummary::steps).average().orElse(Double.NaN);
        return String.format(
                Locale.ROOT,
                "simulate: %d sessions finished: return %.1f min/session, ctr %.3f, satisfaction %.3f, session_length %.1f",
                sessions.size(),
                ret,
                ctr,
                sat,
                len);
    }
}
