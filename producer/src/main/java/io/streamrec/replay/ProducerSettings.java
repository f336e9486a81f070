package io.streamrec.replay;

import io.streamrec.schema.SecretProperties;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds the Kafka producer configuration: idempotent delivery forced, user properties (SASL, SSL...) passed through. */
public final class ProducerSettings {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    /** Fragments of property names whose values are secrets and must never be printed. */
    private ProducerSettings() {}

    /** Loads a Kafka properties file. */
    public static Properties load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "producer config file not found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /**
     * The producer properties: throughput-friendly defaults, then {@code user} (which may override them), then the
     * bootstrap servers when given (the command line beats a file), then what correctness needs and cannot be
     * overridden: acks=all and idempotence (no duplicates or reordering on retry) and the serializers.
     *
     * @param bootstrapServers servers from the command line, or null to keep the file's (or the default)
     * @param user user properties, may be empty
     * @param notes receives a line for each user setting that was overridden
     */
    public static Properties build(String bootstrapServers, Properties user, List<String> notes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamrec-producer");
        // Batching is what makes replaying millions of small JSON records fast; 5 ms adds no visible latency.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        for (String name : user.stringPropertyNames()) {
            p.put(name, user.getProperty(name));
        }
        if (bootstrapServers != null) {
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        force(p, ProducerConfig.ACKS_CONFIG, "all", notes);
        force(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", notes);
        force(p, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(), notes);
        force(p, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(), notes);
        return p;
    }

    private static void force(Properties p, String key, String value, List<String> notes) {
        Object old = p.put(key, value);
        if (old != null
                && !old.toString().equals(value)
                && !(key.equals(ProducerConfig.ACKS_CONFIG) && old.toString().equals("-1"))) {
            notes.add("ignored " + key + "=" + old + " (" + key + "=" + value + " is required)");
        }
    }

    /** {@code key=value} lines, sorted, with secret values replaced by {@code ******}. */
    public static List<String> describe(Properties p) {
        Map<String, String> sorted = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            sorted.put(name, SecretProperties.isSecret(name) ? SecretProperties.MASK : p.getProperty(name));
        }
        List<String> lines = new ArrayList<>();
        sorted.forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }
}
