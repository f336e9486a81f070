package io.streamrec.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka for integration tests of every module: a Testcontainers {@code apache/kafka:4.2.0} container when a Docker
 * engine is reachable, otherwise an {@link EmbeddedKafkaBroker} on a free port.
 *
 * <p>Choice: {@value #MODE_PROPERTY} system property, else the {@value #MODE_ENV} environment variable:
 * {@code embedded} (never touch Docker), {@code docker} (container or fail), {@code auto}/unset (container if Docker is
 * found within a few seconds, else embedded; a container that fails to start also falls back to embedded). The Docker
 * probe is bounded by {@value #DOCKER_PROBE_TIMEOUT_PROPERTY} seconds (default 10), skipped at once when no Docker
 * socket or {@code DOCKER_HOST} exists, and done once per JVM.
 *
 * <pre>{@code
 * try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
 *     kafka.createTopics(2, "ratings", "recommendations");
 *     ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class KafkaTestBroker implements KafkaEndpoint {

    /** Which Kafka a test got. */
    public enum Kind {
        DOCKER,
        EMBEDDED
    }

    /** Environment variable choosing the broker: {@code embedded}, {@code docker} or {@code auto}. */
    public static final String MODE_ENV = "STREAMREC_KAFKA";
    /** System property with the same meaning as {@link #MODE_ENV}; wins over it. */
    public static final String MODE_PROPERTY = "streamrec.kafka";
    /** System property: upper bound in seconds for the Docker availability probe. */
    public static final String DOCKER_PROBE_TIMEOUT_PROPERTY = "streamrec.kafka.docker.probe.seconds";
    /** The container image (same Kafka version as the embedded broker and docker-compose). */
    public static final String IMAGE = "apache/kafka:4.2.0";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestBroker.class);
    private static volatile Boolean dockerAvailable;

    private final Kind kind;
    private final EmbeddedKafkaBroker embedded;
    private final ContainerBroker container;
    private TopicAdmin topicAdmin;

    private KafkaTestBroker(EmbeddedKafkaBroker embedded, ContainerBroker container) {
        this.embedded = embedded;
        this.container = container;
        this.kind = embedded != null ? Kind.EMBEDDED : Kind.DOCKER;
    }

    /** Starts a broker as chosen by {@value #MODE_PROPERTY} / {@value #MODE_ENV} (default {@code auto}). */
    public static KafkaTestBroker start() {
        String mode = mode();
        switch (mode) {
            case "embedded":
                return startEmbedded("forced by " + MODE_PROPERTY + "/" + MODE_ENV + "=embedded");
            case "docker":
            case "testcontainers":
                if (!isDockerAvailable()) {
                    throw new IllegalStateException(
                            MODE_PROPERTY + "/" + MODE_ENV + "=" + mode + " but no Docker engine is reachable");
                }
                return startContainer();
            case "auto":
            case "":
                if (!isDockerAvailable()) {
                    return startEmbedded("no Docker engine found");
                }
                try {
                    return startContainer();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Starting the Kafka container failed ({}); falling back to the embedded broker",
                            e.toString());
                    return startEmbedded("container failed to start");
                }
            default:
                throw new IllegalArgumentException("Unknown " + MODE_PROPERTY + "/" + MODE_ENV + " value '" + mode
                        + "' (expected embedded, docker or auto)");
        }
    }

    /** Starts an embedded broker on a free port, without looking for Docker. */
    public static KafkaTestBroker startEmbedded() {
        return startEmbedded("requested");
    }

    private static KafkaTestBroker startEmbedded(String why) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
        LOG.info("KafkaTestBroker: using the embedded KRaft broker at {} ({})", broker.bootstrapServers(), why);
        return new KafkaTestBroker(broker, null);
    }

    private static KafkaTestBroker startContainer() {
        ContainerBroker c = ContainerBroker.start();
        LOG.info("KafkaTestBroker: using the Docker container {} at {}", IMAGE, c.bootstrapServers());
        return new KafkaTestBroker(null, c);
    }

    /** The chosen mode, lower-cased: property first, then environment, else {@code auto}. */
    static String mode() {
        String v = System.getProperty(MODE_PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(MODE_ENV);
        }
        return v == null ? "auto" : v.trim().toLowerCase(Locale.ROOT);
    }

    /** Which kind of broker this is. */
    public Kind kind() {
        return kind;
    }

    /** The embedded broker (for {@code stop()}/{@code restart()} tests), empty when running in Docker. */
    public Optional<EmbeddedKafkaBroker> embedded() {
        return Optional.ofNullable(embedded);
    }

    @Override
    public String bootstrapServers() {
        return embedded != null ? embedded.bootstrapServers() : container.bootstrapServers();
    }

    @Override
    public synchronized void createTopic(String name, int partitions, Map<String, String> configs) {
        if (embedded != null) {
            embedded.createTopic(name, partitions, configs);
        } else {
            admin().createTopics(List.of(name), partitions, configs == null ? Map.of() : configs);
        }
    }

    @Override
    public synchronized void createTopics(int partitions, String... names) {
        if (embedded != null) {
            embedded.createTopics(partitions, names);
        } else {
            admin().createTopics(List.of(names), partitions, Map.of());
        }
    }

    @Override
    public synchronized void close() {
        if (topicAdmin != null) {
            try {
                topicAdmin.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the admin client failed", e);
            }
            topicAdmin = null;
        }
        if (embedded != null) {
            embedded.close();
        } else {
            container.close();
        }
    }

    @Override
    public String toString() {
        return "KafkaTestBroker{" + kind + ", " + bootstrapServers() + "}";
    }

    private TopicAdmin admin() {
        if (topicAdmin == null) {
            topicAdmin = new TopicAdmin(bootstrapServers());
        }
        return topicAdmin;
    }

    // ---------------------------------------------------------------------------------------------- Docker probe

    /**
     * Whether a Docker engine answers, decided once per JVM and never taking longer than the probe timeout. Without a
     * {@code DOCKER_HOST}, a Testcontainers {@code docker.host} setting or a Docker socket file, answers false at once.
     */
    public static boolean isDockerAvailable() {
        Boolean known = dockerAvailable;
        if (known != null) {
            return known;
        }
        synchronized (KafkaTestBroker.class) {
            if (dockerAvailable == null) {
                dockerAvailable = probeDocker();
            }
            return dockerAvailable;
        }
    }

    private static boolean probeDocker() {
        Optional<String> hint = dockerHint();
        if (hint.isEmpty()) {
            LOG.info("No Docker engine: DOCKER_HOST is unset and no Docker socket exists");
            return false;
        }
        long seconds = Long.getLong(DOCKER_PROBE_TIMEOUT_PROPERTY, 10L);
        long t0 = System.nanoTime();
        // A daemon thread: if Testcontainers' probe hangs, it cannot keep the test JVM alive.
        CompletableFuture<Boolean> probe = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        probe.complete(DockerClientFactory.instance().isDockerAvailable());
                    } catch (Throwable e) {
                        probe.completeExceptionally(e);
                    }
                },
                "streamrec-docker-probe");
        t.setDaemon(true);
        t.start();
        boolean ok;
        try {
            ok = probe.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("No Docker engine: the probe via {} did not answer within {} s", hint.get(), seconds);
            return false;
        } catch (ExecutionException e) {
            LOG.info(
                    "No Docker engine: probing {} failed: {}",
                    hint.get(),
                    e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        LOG.info(
                "Docker engine {} via {} (probe took {} ms)",
                ok ? "available" : "NOT usable",
                hint.get(),
                (System.nanoTime() - t0) / 1_000_000);
        return ok;
    }

    /** Where a Docker engine could be: DOCKER_HOST, ~/.testcontainers.properties, or a socket file. */
    static Optional<String> dockerHint() {
        String env = System.getenv("DOCKER_HOST");
        if (env != null && !env.isBlank()) {
            return Optional.of("DOCKER_HOST=" + env);
        }
        String home = System.getProperty("user.home", "");
        Path tcProps = Path.of(home, ".testcontainers.properties");
        if (Files.isReadable(tcProps)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(tcProps)) {
                p.load(in);
                if (p.getProperty("docker.host") != null || p.getProperty("docker.client.strategy") != null) {
                    return Optional.of(tcProps.toString());
                }
            } catch (Exception ignored) {
                // unreadable: ignore
            }
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        List<Path> sockets = new java.util.ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock")));
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
            sockets.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        for (Path s : sockets) {
            if (Files.exists(s)) {
                return Optional.of(s.toString());
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------- container

    /** Testcontainers' {@link KafkaContainer}, configured like the embedded broker. */
    private static final class ContainerBroker {
        private final KafkaContainer container;

        private ContainerBroker(KafkaContainer container) {
            this.container = container;
        }

        static ContainerBroker start() {
            KafkaContainer c = new KafkaContainer(DockerImageName.parse(IMAGE))
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                    .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                    .withEnv("KAFKA_MIN_INSYNC_REPLICAS", "1")
                    .withEnv(
                            "KAFKA_TRANSACTION_MAX_TIMEOUT_MS",
                            Integer.toString(EmbeddedKafkaBroker.TRANSACTION_MAX_TIMEOUT_MS))
                    .withEnv("KAFKA_LOG_CLEANER_ENABLE", "true")
                    .withStartupTimeout(Duration.ofMinutes(2));
            try {
                c.start();
            } catch (RuntimeException e) {
                try {
                    c.stop();
                } catch (RuntimeException ignored) {
                    // best effort
                }
                throw e;
            }
            return new ContainerBroker(c);
        }

        String bootstrapServers() {
            return container.getBootstrapServers();
        }

        void close() {
            try {
                container.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping the Kafka container failed", e);
            }
        }
    }
}
