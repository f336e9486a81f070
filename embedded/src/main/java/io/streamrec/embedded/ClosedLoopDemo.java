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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./streamrec demo --closed-loop}: instead of replaying a log, simulated users ({@link ClosedLoopUsers}) on
 * the demo's catalogue (topic = an item's first genre) answer the running job's recommendations through the broker.
 */
final class ClosedLoopDemo {
    private ClosedLoopDemo() {}

    /** Runs the loop until every user has answered {@code --steps} slates; returns the sessions' summary. */
    static String run(StreamrecConfig config, Map<String, String> launcher, ItemCatalog catalog, PrintStream out) {
        long seed = Long.parseLong(launcher.getOrDefault("seed", "42"));
        int users = Integer.parseInt(launcher.getOrDefault("loop-users", "140"));
        long steps = Long.parseLong(launcher.getOrDefault("steps", "60"));
        long answers = users * steps;
        Map<String, Integer> topics = new LinkedHashMap<>();
        int[] ids = new int[catalog.size()];
        int[] topicOf = new int[catalog.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = catalog.itemIdAt(i);
            List<String> genres = catalog.genresAt(i);
            String first = genres == null || genres.isEmpty() ? "(none)" : genres.get(0);
            topicOf[i] = topics.computeIfAbsent(first, g -> topics.size());
        }
        List<Document> docs = ClosedLoopUsers.documents(ids, topicOf, seed);
        ClosedLoopUsers env = new ClosedLoopUsers(
                docs, UserModel.defaults().withTopics(topics.size()), seed, ClosedLoopClient.simulationStart());
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
                    topics.size(),
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
