package io.streamrec.config;

import io.streamrec.cli.Args;
import io.streamrec.schema.SecretProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one configuration surface of the job and the embedded default: defaults, overridden by an optional
 * properties file ({@code --config FILE}), overridden by command-line {@code --key value} pairs.
 * Keys starting with {@code kafka.} are passed through to every Kafka client (security settings, for instance).
 */
public final class StreamrecConfig implements Serializable {
    private static final long serialVersionUID = 1L;

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
        Map<String, String> cli = new LinkedHashMap<>(Args.keyValues(args));
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
        for (String name : p.stringPropertyNames())
            m.put(name, p.getProperty(name).trim());
        return m;
    }

    /** A copy with the given keys set; every key must be known or a {@code kafka.} pass-through. */
    public StreamrecConfig withAll(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("kafka.") && ConfigKey.byKey(key) == null) {
                throw new IllegalArgumentException(
                        "unknown configuration key '" + key + "'; known keys: " + ConfigKey.keys());
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
                throw new IllegalArgumentException(
                        "bad value for " + k.key + ": '" + v + "' (" + e.getMessage() + ")", e);
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

    /** The resolved configuration for logs and run reports, secrets masked (the same names as the producer masks). */
    public Map<String, String> redacted() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, SecretProperties.isSecret(k) ? SecretProperties.MASK : v));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return redacted().toString();
    }

    /**
     * The whole of docs/configuration.md, generated from the keys (a test keeps the file equal to it, so the
     * documentation cannot drift from the code; {@code mvn -pl flink-job test -Dtest=StreamrecConfigTest
     * -Dstreamrec.docs.write=true} rewrites it).
     */
    public static String configurationPage() {
        return "# Configuration\n\n"
                + "Back to the [README](../README.md). Generated from `io.streamrec.config.ConfigKey` (each key declared once,"
                + " with its default and validator); `StreamrecConfigTest` keeps this page equal to the code.\n\n"
                + "One surface for the job, `./streamrec demo`, `./streamrec job`, `./streamrec evaluate` and `./bench`:"
                + " `--key value` arguments, or `--config file.properties` (arguments win). Unknown keys are errors.\n\n"
                + markdownTable();
    }

    /** The configuration table, generated from the keys: every key with its one default and its meaning. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigKey k : ConfigKey.values()) {
            String meaning = k.description.replace("|", "\\|");
            if (k.type instanceof ValueType.OneOf o) {
                meaning += " (one of "
                        + String.join(
                                ", ",
                                o.allowed().stream().map(v -> "`" + v + "`").toList()) + ")";
            }
            sb.append("| `")
                    .append(k.key)
                    .append("` | ")
                    .append(k.defaultValue == null ? "—" : "`" + k.defaultValue + "`")
                    .append(" | ")
                    .append(meaning)
                    .append(" |\n");
        }
        return sb.append("| `kafka.*` | | passed to every Kafka client with the prefix removed |\n")
                .toString();
    }
}
