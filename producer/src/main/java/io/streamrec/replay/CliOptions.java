package io.streamrec.replay;

import io.streamrec.cli.Args;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.schema.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The parsed command line of {@link ProducerCli}; every mistake is a {@link UsageException}. */
final class CliOptions {
    static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: java -jar streamrec-producer.jar (--ratings PATH | --synthetic [options]) [options]",
            "",
            "Replays MovieLens ratings (any official format) or a synthetic user simulator onto a Kafka topic,",
            "sorted by event time. Key = userId, value = RatingEvent JSON (see schemas/ratings.schema.json).",
            "",
            "Source (exactly one):",
            "  --ratings PATH             a ratings file (u.data, u1.base, ratings.dat, ratings.csv) or a MovieLens",
            "                             folder (ratings.csv, ratings.dat or u.data is picked from it)",
            "  --synthetic                simulated users with latent tastes, Zipf item popularity and sessions",
            "    --users N                synthetic users (default " + SyntheticConfig.DEFAULT_USERS + ")",
            "    --items N                synthetic items (default " + SyntheticConfig.DEFAULT_ITEMS + ")",
            "    --events N               synthetic events (default " + SyntheticConfig.DEFAULT_EVENTS + ")",
            "    --seed N                 random seed; the same seed gives the same events (default "
                    + SyntheticConfig.DEFAULT_SEED + ")",
            "",
            "Kafka:",
            "  --bootstrap-servers LIST   host:port[,host:port...] (default " + ProducerSettings.DEFAULT_BOOTSTRAP
                    + ", or the config file's)",
            "  --topic NAME               target topic (default " + Topics.RATINGS + ")",
            "  --producer-config FILE     Kafka producer properties (security.protocol, sasl.*, ssl.*, ...);",
            "                             acks=all and idempotence are always on; secret values are never printed",
            "",
            "Pacing and selection (default: everything, as fast as possible):",
            "  --speed N                  replay at N x real time, following the events' timestamp gaps",
            "  --max-rate R               send at most R events per second",
            "  --start-time T             start at event time T: epoch seconds, 2000-01-01, 2000-01-01T12:00:00 (UTC)",
            "                             or 2000-01-01T12:00:00Z",
            "  --skip N                   skip the first N events (after --start-time)",
            "  --limit N                  send at most N events",
            "",
            "Other:",
            "  --dry-run                  read or generate, select and report, but do not connect to Kafka",
            "  --help                     this text",
            "",
            "Exit codes: 0 done, 1 send or I/O failure, 2 usage error / missing file / unknown format, 130 interrupted.");

    private static final Set<String> FLAG_OPTIONS = Set.of("help", "synthetic", "dry-run");
    private static final Set<String> VALUE_OPTIONS = Set.of(
            "bootstrap-servers",
            "topic",
            "ratings",
            "users",
            "items",
            "events",
            "seed",
            "speed",
            "max-rate",
            "limit",
            "skip",
            "start-time",
            "producer-config");

    boolean help;
    String bootstrapServers;
    String topic = Topics.RATINGS;
    Path ratings;
    boolean synthetic;
    Integer users;
    Integer items;
    Integer events;
    Long seed;
    double speed;
    double maxRate;
    long limit = Long.MAX_VALUE;
    String startTime;
    long skip;
    Path producerConfig;
    boolean dryRun;

    static CliOptions parse(String[] args) throws UsageException {
        CliOptions o = new CliOptions();
        Args parsed;
        try {
            parsed = Args.parse(args, FLAG_OPTIONS, VALUE_OPTIONS, false);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        for (Map.Entry<String, String> option : parsed.options().entrySet()) {
            String name = "--" + option.getKey();
            switch (option.getKey()) {
                case "help" -> o.help = true;
                case "synthetic" -> o.synthetic = flag(name, option.getValue());
                case "dry-run" -> o.dryRun = flag(name, option.getValue());
                default -> o.set(name, option.getValue());
            }
        }
        if (!o.help) {
            o.validate();
        }
        return o;
    }

    private void set(String name, String value) throws UsageException {
        switch (name) {
            case "--bootstrap-servers" -> bootstrapServers = nonEmpty(name, value);
            case "--topic" -> topic = nonEmpty(name, value);
            case "--ratings" -> ratings = Path.of(nonEmpty(name, value));
            case "--users" -> users = (int) number(name, value, 1, Integer.MAX_VALUE);
            case "--items" -> items = (int) number(name, value, 1, Integer.MAX_VALUE);
            case "--events" -> events = (int) number(name, value, 0, Integer.MAX_VALUE);
            case "--seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case "--speed" -> speed = positive(name, value);
            case "--max-rate" -> maxRate = positive(name, value);
            case "--limit" -> limit = number(name, value, 0, Long.MAX_VALUE);
            case "--skip" -> skip = number(name, value, 0, Long.MAX_VALUE);
            case "--start-time" -> startTime = nonEmpty(name, value);
            case "--producer-config" -> producerConfig = Path.of(nonEmpty(name, value));
            default -> throw new UsageException("unknown option " + name);
        }
    }

    private void validate() throws UsageException {
        if (ratings != null && synthetic) {
            throw new UsageException("--ratings and --synthetic are mutually exclusive");
        }
        if (ratings == null && !synthetic) {
            throw new UsageException("one of --ratings PATH or --synthetic is required");
        }
        if (!synthetic && (users != null || items != null || events != null || seed != null)) {
            throw new UsageException("--users, --items, --events and --seed only apply with --synthetic");
        }
    }

    SyntheticConfig syntheticConfig() {
        return SyntheticConfig.of(
                users != null ? users : SyntheticConfig.DEFAULT_USERS,
                items != null ? items : SyntheticConfig.DEFAULT_ITEMS,
                events != null ? events : SyntheticConfig.DEFAULT_EVENTS,
                seed != null ? seed : SyntheticConfig.DEFAULT_SEED);
    }

    ReplayOptions replayOptions() throws UsageException {
        long start = startTime == null ? Long.MIN_VALUE : StartTime.parseMillis(startTime);
        return new ReplayOptions(topic, speed, maxRate, limit, start, skip, 1000);
    }

    private static boolean flag(String name, String inline) throws UsageException {
        if (inline.equalsIgnoreCase("true")) return true;
        if (inline.equalsIgnoreCase("false")) return false;
        throw new UsageException(name + " takes no value, got '" + inline + "'");
    }

    private static String nonEmpty(String name, String value) throws UsageException {
        if (value.isBlank()) throw new UsageException(name + " must not be empty");
        return value.strip();
    }

    private static long number(String name, String value, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs an integer, got '" + value + "'");
        }
        if (v < min || v > max) {
            throw new UsageException(name + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    private static double positive(String name, String value) throws UsageException {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, got '" + value + "'");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new UsageException(name + " must be a positive number, got '" + value + "'");
        }
        return v;
    }
}
