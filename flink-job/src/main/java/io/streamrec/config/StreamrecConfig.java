package io.streamrec.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one configuration surface of the job and the embedded default: defaults, overridden by an optional
 * properties file ({@code --config FILE}), overridden by command-line {@code --key value} pairs.
 * Keys starting with {@code kafka.} are passed through to every Kafka client (security settings, for instance).
 */
public final class StreamrecConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Kafka client properties whose values are never printed. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\.store|trust\\.store|ssl\\.key).*");

    private final Map<String, String> values;

    private StreamrecConfig(Map<String, String> values) {
        this.values = values;
    }

    public static StreamrecConfig defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.defaultValue != null) m.put(k.key, k.defaultValue);
        }
        return new StreamrecConfig(m);
    }

    /**
     * Parses {@code --key value} / {@code --key=value} arguments and an optional {@code --config FILE}.
     * Unknown keys are an error (a typo must not silently fall back to a default).
     */
    public static StreamrecConfig fromArgs(String... args) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("expected --key value, got '" + a + "'");
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true"; // a bare flag
            }
            cli.put(key, value);
        }
        StreamrecConfig config = defaults();
        String file = cli.remove("config");
        if (file != null) config = config.withAll(readProperties(Path.of(file)));
        return config.withAll(cli);
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config file not found: " + file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) m.put(name, p.getProperty(name).trim());
        return m;
    }

    /** A copy with the given keys set; every key must be known or a {@code kafka.} pass-through. */
    public StreamrecConfig withAll(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("kafka.") && ConfigKey.byKey(key) == null) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "'; known keys: " + ConfigKey.keys());
            }
            m.put(key, e.getValue());
        }
        StreamrecConfig c = new StreamrecConfig(m);
        c.validate();
        return c;
    }

    public StreamrecConfig with(ConfigKey key, Object value) {
        return withAll(Map.of(key.key, String.valueOf(value)));
    }

    private void validate() {
        for (ConfigKey k : ConfigKey.values()) {
            String v = values.get(k.key);
            if (v == null) continue;
            try {
                k.type.check(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad value for " + k.key + ": '" + v + "' (" + e.getMessage() + ")", e);
            }
        }
    }

    public String get(ConfigKey key) {
        return values.get(key.key);
    }

    public boolean has(ConfigKey key) {
        String v = values.get(key.key);
        return v != null && !v.isBlank();
    }

    public int getInt(ConfigKey key) {
        return Integer.parseInt(values.get(key.key));
    }

    public long getLong(ConfigKey key) {
        return Long.parseLong(values.get(key.key));
    }

    public double getDouble(ConfigKey key) {
        return Double.parseDouble(values.get(key.key));
    }

    public boolean getBoolean(ConfigKey key) {
        return Boolean.parseBoolean(values.get(key.key));
    }

    /** The {@code kafka.*} pass-through properties with the prefix removed. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (k.startsWith("kafka.")) p.setProperty(k.substring("kafka.".length()), v);
        });
        return p;
    }

    /** The resolved configuration for logs and run reports, secrets masked. */
    public Map<String, String> redacted() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, SECRET.matcher(k).matches() ? "******" : v));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return redacted().toString();
    }

    /** Every documented key. */
    public enum ConfigKey {
        BOOTSTRAP_SERVERS("bootstrap.servers", "localhost:9092", ValueType.STRING, "Kafka bootstrap servers"),
        TOPIC_RATINGS("topic.ratings", "ratings", ValueType.STRING, "Input topic of rating events"),
        TOPIC_RECOMMENDATIONS("topic.recommendations", "recommendations", ValueType.STRING, "Output topic of top-k slates"),
        TOPIC_DLQ("topic.dlq", "ratings-dlq", ValueType.STRING, "Dead-letter topic for unusable rating records"),
        GROUP_ID("group.id", "streamrec", ValueType.STRING, "Kafka consumer group of the job"),
        STARTING_OFFSETS("starting.offsets", "earliest", ValueType.oneOf("earliest", "latest", "committed"), "Where the job starts reading when it has no checkpoint"),
        K("k", "10", ValueType.POSITIVE_INT, "Length of each recommended slate"),
        WINDOW_SIZE("window.size", "5", ValueType.POSITIVE_INT, "N: positive items kept in each user's history window"),
        POSITIVE_THRESHOLD("positive.threshold", "4.0", ValueType.DOUBLE, "A rating at or above this counts as positive"),
        PARALLELISM("parallelism", "2", ValueType.POSITIVE_INT, "Parallelism of every operator"),
        BUFFER_TIMEOUT_MS("network.buffer.timeout.ms", "5", ValueType.NON_NEGATIVE_LONG, "Longest wait of a record in a network buffer before it is sent on (Flink's execution.buffer-timeout; its default of 100 ms dominated the latency)"),
        CHECKPOINT_INTERVAL_MS("checkpoint.interval.ms", "10000", ValueType.POSITIVE_LONG, "Checkpoint interval"),
        CHECKPOINT_DIR("checkpoint.dir", "file:///tmp/streamrec/checkpoints", ValueType.STRING, "Checkpoint storage URI"),
        STATE_BACKEND("state.backend", "rocksdb", ValueType.oneOf("rocksdb", "hashmap"), "Keyed-state backend"),
        DELIVERY("delivery.guarantee", "at-least-once", ValueType.oneOf("at-least-once", "exactly-once"), "Kafka sink guarantee"),
        TRANSACTIONAL_ID_PREFIX("transactional.id.prefix", "streamrec", ValueType.STRING, "Prefix of Kafka transactional ids (exactly-once)"),
        TRANSACTION_TIMEOUT_MS("transaction.timeout.ms", "600000", ValueType.POSITIVE_LONG, "Kafka transaction timeout; must be below the broker's transaction.max.timeout.ms"),
        OUT_OF_ORDERNESS_MS("watermark.out-of-orderness.ms", "5000", ValueType.NON_NEGATIVE_LONG, "Bounded out-of-orderness of event-time watermarks"),
        IDLENESS_MS("source.idleness.ms", "30000", ValueType.NON_NEGATIVE_LONG, "A partition without events for this long stops holding back watermarks (0 = off)"),
        CATALOG_METADATA("catalog.metadata", null, ValueType.STRING, "Movie metadata file (u.item, movies.dat or movies.csv): the candidate items, with titles and genres"),
        CATALOG_ITEMS("catalog.items", "0", ValueType.NON_NEGATIVE_INT, "Without metadata: candidate items are ids 1..n"),
        EMBEDDING_DIM("actor.embedding.dim", "100", ValueType.POSITIVE_INT, "User/item embedding size (DRR paper: 100)"),
        HIDDEN_DIM("actor.hidden.dim", "256", ValueType.POSITIVE_INT, "Width of the actor's hidden layers"),
        ACTOR_SEED("actor.seed", "42", ValueType.LONG, "Seed of the initial actor weights"),
        ACTOR_WEIGHTS_FILE("actor.weights.file", null, ValueType.STRING, "Start from this actor-weights JSON file instead of a seeded initialisation"),
        ENGINE_THREADS("actor.engine.threads", "1", ValueType.NON_NEGATIVE_INT, "PyTorch intra-op threads per JVM (0 = PyTorch's default); 1 avoids oversubscribing cores shared by subtasks"),
        BATCH_SIZE("actor.batch.size", "64", ValueType.POSITIVE_INT, "Largest micro-batch of requests per actor call"),
        BATCH_WAIT_MS("actor.batch.wait.ms", "2", ValueType.NON_NEGATIVE_LONG, "Longest wait for a micro-batch to fill"),
        ASYNC_CAPACITY("async.capacity", "512", ValueType.POSITIVE_INT, "In-flight requests per async actor subtask"),
        ASYNC_TIMEOUT_MS("async.timeout.ms", "60000", ValueType.POSITIVE_LONG, "Timeout of one actor request");

        public final String key;
        public final String defaultValue;
        public final ValueType type;
        public final String description;

        ConfigKey(String key, String defaultValue, ValueType type, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.type = type;
            this.description = description;
        }

        static ConfigKey byKey(String key) {
            for (ConfigKey k : values()) if (k.key.equals(key)) return k;
            return null;
        }

        static List<String> keys() {
            List<String> l = new ArrayList<>();
            for (ConfigKey k : values()) l.add(k.key);
            return l;
        }
    }

    /** How a value is checked. */
    public interface ValueType extends Serializable {
        void check(String v);

        ValueType STRING = v -> {};
        ValueType LONG = Long::parseLong;
        ValueType DOUBLE = v -> {
            if (!Double.isFinite(Double.parseDouble(v))) throw new IllegalArgumentException("not finite");
        };
        ValueType POSITIVE_INT = v -> {
            if (Integer.parseInt(v) <= 0) throw new IllegalArgumentException("must be > 0");
        };
        ValueType NON_NEGATIVE_INT = v -> {
            if (Integer.parseInt(v) < 0) throw new IllegalArgumentException("must be >= 0");
        };
        ValueType POSITIVE_LONG = v -> {
            if (Long.parseLong(v) <= 0) throw new IllegalArgumentException("must be > 0");
        };
        ValueType NON_NEGATIVE_LONG = v -> {
            if (Long.parseLong(v) < 0) throw new IllegalArgumentException("must be >= 0");
        };

        static ValueType oneOf(String... allowed) {
            Set<String> set = Set.of(allowed);
            return v -> {
                if (!set.contains(v)) throw new IllegalArgumentException("one of " + List.of(allowed));
            };
        }
    }
}
