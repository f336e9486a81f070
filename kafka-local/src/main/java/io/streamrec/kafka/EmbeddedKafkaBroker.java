package io.streamrec.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Apache Kafka 4.2 broker in KRaft combined mode (broker + controller in one node), for
 * the product's embedded default and for integration tests.
 *
 * <p>The client listener binds {@code 127.0.0.1:PORT} and is advertised as {@code localhost:PORT}, so any Kafka client
 * on the same machine (the console consumer included) can use {@code localhost:PORT}. The controller listener gets a
 * separate free loopback port. Storage lives in {@code <dataDir>/kafka-logs}; it is formatted on first start with the
 * latest <em>production</em> metadata version and reused afterwards, so {@link #stop()} + {@link #restart()} (or a new
 * {@link #start} on the same directory) keeps all data.
 *
 * <p>Settings are those of a single-node cluster on which transactions and consumer groups work: replication factor 1
 * and min ISR 1 for every internal topic, no initial rebalance delay, auto topic creation off, log cleaner on and
 * {@code transaction.max.timeout.ms} = {@link #TRANSACTION_MAX_TIMEOUT_MS}.
 *
 * <p>Instances are thread-safe. Not a production broker: no security, one replica.
 */
public final class EmbeddedKafkaBroker implements KafkaEndpoint {

    /** The port the product's embedded default uses (the usual Kafka port). */
    public static final int DEFAULT_PORT = 9092;

    /**
     * The broker's {@code transaction.max.timeout.ms}: 15 minutes, the stock Kafka default, so the docker-compose
     * broker and any standard broker behave the same. A transactional producer (Flink's exactly-once {@code KafkaSink},
     * whose own default {@code transaction.timeout.ms} is 1 hour) must set {@code transaction.timeout.ms} to at most
     * this value, or {@code initTransactions} fails with {@code InvalidTxnTimeoutException}.
     */
    public static final int TRANSACTION_MAX_TIMEOUT_MS = 15 * 60 * 1000;

    /** The node id of the single KRaft node. */
    public static final int NODE_ID = 1;

    /** Host name that clients are told to use (advertised listener). */
    public static final String ADVERTISED_HOST = "localhost";

    static final String BIND_ADDRESS = "127.0.0.1";
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final Path logDir;
    private final boolean ownsDataDir;
    private final Map<String, String> overrides;

    private int boundPort;
    private int controllerPort;
    private KafkaRaftServer server;
    private TopicAdmin topicAdmin;
    private Thread shutdownHook;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, boolean ownsDataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.logDir = dataDir.resolve("kafka-logs");
        this.ownsDataDir = ownsDataDir;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Starts a broker and returns once it accepts clients.
     *
     * @param port    the client port on localhost; {@code 0} picks a free one. A fixed port that is taken fails fast
     *                with {@link PortInUseException}.
     * @param dataDir where topics and metadata live (created if missing, reused if already formatted);
     *                {@code null} uses a fresh temporary directory that {@link #close()} deletes.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, Map.of());
    }

    /**
     * As {@link #start(int, Path)}, with extra broker properties that override the defaults (e.g.
     * {@code message.max.bytes}). The listener, node and directory settings cannot be overridden.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> brokerOverrides) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, got " + port);
        }
        boolean owns = dataDir == null;
        Path dir;
        try {
            dir = owns ? Files.createTempDirectory("streamrec-kafka-") : Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + dataDir, e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                dir.toAbsolutePath(), owns, brokerOverrides == null ? Map.of() : brokerOverrides);
        try {
            broker.startServer(port);
        } catch (RuntimeException | Error e) {
            broker.deleteDataDirIfOwned();
            throw e;
        }
        return broker;
    }

    /** {@code localhost:PORT}. */
    @Override
    public String bootstrapServers() {
        return ADVERTISED_HOST + ":" + port();
    }

    /** The client port (the real one when started with port 0). Stable across {@link #restart()}. */
    public synchronized int port() {
        return boundPort;
    }

    /** The root data directory (topic data is under {@code kafka-logs/}). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is currently running (false after {@link #stop()} until {@link #restart()}). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void createTopic(String name, int partitions, Map<String, String> configs) {
        admin().createTopics(List.of(name), partitions, configs == null ? Map.of() : configs);
    }

    @Override
    public synchronized void createTopics(int partitions, String... names) {
        admin().createTopics(List.of(names), partitions, Map.of());
    }

    /**
     * Shuts the broker down cleanly (clients see it disappear) and releases its ports and threads, keeping the data
     * directory for {@link #restart()}, which binds the same client port again. No-op when already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        if (topicAdmin != null) {
            try {
                topicAdmin.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the admin client failed", e);
            }
            topicAdmin = null;
        }
        KafkaRaftServer s = server;
        server = null;
        shutdownServer(s);
        BrokerExitGuard.release();
        LOG.info("Embedded Kafka broker on port {} stopped in {} ms", boundPort, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Starts the broker again on the same port with the same data directory (after {@link #stop()}; if it is still
     * running it is stopped first). Everything written before is still there.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("The embedded Kafka broker was closed; start a new one");
        }
        stop();
        startServer(boundPort);
    }

    /** Stops the broker and, if the data directory was a temporary one, deletes it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping the embedded Kafka broker", e);
        }
        removeShutdownHook();
        deleteDataDirIfOwned();
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker{" + bootstrapServers() + ", dataDir=" + dataDir + (isRunning() ? "" : ", stopped")
                + "}";
    }

    // ------------------------------------------------------------------------------------------------------------

    private void startServer(int requestedPort) {
        long t0 = System.nanoTime();
        BrokerLogLevels.quietBrokerLoggers();
        SingleNodeStorage.formatIfNeeded(logDir);
        long tFormatted = System.nanoTime();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int clientPort = requestedPort != 0 ? requestedPort : LocalPorts.freePort();
            if (requestedPort != 0) {
                LocalPorts.ensureFree(requestedPort);
            }
            if (controllerPort == 0 || !LocalPorts.isFree(controllerPort) || controllerPort == clientPort) {
                controllerPort = LocalPorts.freePort(clientPort);
            }
            long tConfig = System.nanoTime();
            KafkaConfig config = new KafkaConfig(
                    SingleNodeStorage.brokerConfig(overrides, clientPort, controllerPort, logDir), false);
            BrokerExitGuard.acquire();
            KafkaRaftServer s = null;
            try {
                long tServer = System.nanoTime();
                s = new KafkaRaftServer(config, Time.SYSTEM);
                long tStartup = System.nanoTime();
                s.startup();
                LOG.debug(
                        "Start phases: format {} ms, config {} ms, construct {} ms, startup {} ms",
                        (tFormatted - t0) / 1_000_000,
                        (tServer - tConfig) / 1_000_000,
                        (tStartup - tServer) / 1_000_000,
                        (System.nanoTime() - tStartup) / 1_000_000);
                server = s;
                boundPort = clientPort;
                break;
            } catch (RuntimeException e) {
                if (s != null) {
                    shutdownServer(s);
                }
                BrokerExitGuard.release();
                failure = e;
                boolean bindFailure = LocalPorts.causedByBindFailure(e);
                if (bindFailure && requestedPort != 0 && !LocalPorts.isFree(requestedPort)) {
                    throw new PortInUseException(requestedPort, e);
                }
                if (!bindFailure || attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(
                            "The embedded Kafka broker failed to start (port "
                                    + (requestedPort == 0 ? "any" : requestedPort) + ", data " + logDir + "): " + e,
                            e);
                }
                // Someone grabbed one of the free ports we picked between probing and binding: pick again.
                LOG.info("Port race while starting the embedded Kafka broker, retrying: {}", e.toString());
                controllerPort = 0;
            }
        }
        if (server == null) {
            throw new IllegalStateException("The embedded Kafka broker failed to start", failure);
        }
        addShutdownHook();
        LOG.info(
                "Embedded Kafka broker started on {} in {} ms (data: {})",
                bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000,
                logDir);
    }

    private static void shutdownServer(KafkaRaftServer s) {
        try {
            s.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error shutting down the embedded Kafka broker", e);
        }
        try {
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error awaiting the embedded Kafka broker's shutdown", e);
        }
    }

    private TopicAdmin admin() {
        if (server == null) {
            throw new IllegalStateException("The embedded Kafka broker is stopped");
        }
        if (topicAdmin == null) {
            topicAdmin = new TopicAdmin(bootstrapServers());
        }
        return topicAdmin;
    }

    private void addShutdownHook() {
        if (shutdownHook != null) {
            return;
        }
        Thread hook = new Thread(
                () -> {
                    try {
                        BrokerLogLevels.quietBrokerLoggers(); // Log4j's own shutdown hook may have replaced the context
                        close();
                    } catch (Throwable t) {
                        // the JVM is going away; nothing useful to do
                    }
                },
                "streamrec-kafka-shutdown-" + boundPort);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // JVM shutdown in progress
            }
        }
    }

    private void deleteDataDirIfOwned() {
        if (ownsDataDir) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                LOG.warn("Could not delete the temporary Kafka data directory {}", dataDir, e);
            }
        }
    }

    /** Thrown by {@link #start} / {@link #restart()} when the requested client port is already taken. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final int port;

        PortInUseException(int port, Throwable cause) {
            super(
                    "Cannot start the embedded Kafka broker: port " + port + " on localhost is already in use "
                            + "(another Kafka broker, e.g. a docker-compose one, or another process is listening there). "
                            + "Stop that process, connect to it instead, or choose another port (0 = any free port).",
                    cause);
            this.port = port;
        }

        /** The port that was taken. */
        public int port() {
            return port;
        }
    }

    // ---------------------------------------------------------------------------------------------- main

    /**
     * Runs a broker until the JVM is stopped: {@code EmbeddedKafkaBroker [port (default 9092)] [dataDir (default: temp)]}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        Path dir = args.length > 1 ? Path.of(args[1]) : null;
        EmbeddedKafkaBroker broker = start(port, dir);
        System.out.println("Kafka is running on " + broker.bootstrapServers() + " (data: " + broker.dataDir()
                + "); press Ctrl-C to stop.");
        new CountDownLatch(1).await();
    }
}
