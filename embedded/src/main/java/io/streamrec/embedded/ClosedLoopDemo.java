package io.streamrec.embedded;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.closedloop.ClosedLoopUsers;
import io.streamrec.closedloop.Document;
import io.streamrec.closedloop.UserModel;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.loop.ClosedLoopCli;
import io.streamrec.loop.ClosedLoopClient;
import io.streamrec.schema.Cohorts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./streamrec demo --closed-loop}: instead of replaying a log, simulated users ({@link ClosedLoopUsers}) on
 * the demo's catalogue (topic = an item's first genre) answer the running job's recommendations through the broker.
 */
final class ClosedLoopDemo {
    private ClosedLoopDemo() {}

    /** {@code --loop-users}: simulated users (default 140, 20 per policy of the demo's 7 default cohorts). */
    static int users(Map<String, String> launcher) {
        return Integer.parseInt(launcher.getOrDefault("loop-users", "140"));
    }

    /** {@code --steps}: slates each user answers (default 60). */
    static long steps(Map<String, String> launcher) {
        return Long.parseLong(launcher.getOrDefault("steps", "60"));
    }

    /** Runs the loop until every user has answered {@code --steps} slates; returns the sessions' summary. */
    static String run(StreamrecConfig config, Map<String, String> launcher, ItemCatalog catalog, PrintStream out) {
        long seed = Long.parseLong(launcher.getOrDefault("seed", "42"));
        int users = users(launcher);
        long steps = steps(launcher);
        long answers = users * steps;
        int[] ids = new int[catalog.size()];
        List<List<String>> genres = new ArrayList<>(catalog.size());
        for (int i = 0; i < ids.length; i++) {
            ids[i] = catalog.itemIdAt(i);
            genres.add(catalog.genresAt(i));
        }
        ClosedLoopUsers.Catalogue items = ClosedLoopUsers.byFirstGenre(ids, genres, seed);
        List<Document> docs = items.documents();
        ClosedLoopUsers env = new ClosedLoopUsers(
                docs, UserModel.defaults().withTopics(items.topics()), seed, ClosedLoopClient.simulationStart());
        Cohorts cohorts = config.getBoolean(ConfigKey.LOOP_COHORTS) ? StageSettings.cohorts(config) : null;
        try (ClosedLoopClient client = new ClosedLoopClient(
                config.get(ConfigKey.BOOTSTRAP_SERVERS),
                config.get(ConfigKey.TOPIC_RATINGS),
                cohorts == null
                        ? config.get(ConfigKey.TOPIC_RECOMMENDATIONS)
                        : config.get(ConfigKey.TOPIC_POLICY_SLATES),
                config.kafkaProperties(),
                env,
                cohorts)) {
            client.withStepsPerUser(steps)
                    .withMetrics(config.get(ConfigKey.TOPIC_METRICS), 20)
                    .start(users);
            out.printf(
                    Locale.ROOT,
                    "streamrec: closed loop — %d simulated users on %,d items (%d topics), %,d slates each%s%n",
                    users,
                    docs.size(),
                    items.topics(),
                    steps,
                    cohorts == null ? "" : ", one cohort per policy (" + String.join(", ", cohorts.policies()) + ")");
            client.run(answers, Duration.ofSeconds(300));
            out.printf(
                    Locale.ROOT,
                    "streamrec: closed loop sent %,d ratings, answered %,d slates (%,d other slates read, %,d times a user carried on without one)%n",
                    client.sent(),
                    client.answered(),
                    client.ignored(),
                    client.retries());
        }
        String all = ClosedLoopCli.summary(env.sessions()).replace("simulate:", "streamrec: closed loop,");
        if (cohorts == null) return all;
        String plots;
        try {
            Path dir = ClosedLoopReport.write(env.sessions(), cohorts, Path.of(config.get(ConfigKey.REPORT_DIR)));
            plots = "streamrec: closed loop over time: " + dir.resolve("closed-loop-return.png") + ", "
                    + dir.resolve("closed-loop-satisfaction.png") + ", " + dir.resolve("closed-loop.csv");
        } catch (IOException e) {
            plots = "streamrec: closed loop plots not written: " + e;
        }
        return all + "\nstreamrec: closed loop by cohort (online A/B; sessions after each user's first):\n"
                + ClosedLoopCli.table(env.sessions(), cohorts) + plots;
    }
}
