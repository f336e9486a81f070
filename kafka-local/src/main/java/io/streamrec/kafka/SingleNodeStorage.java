package io.streamrec.kafka;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** The single KRaft node's configuration and its storage directory (formatted once, reused on restart). */
final class SingleNodeStorage {
    private SingleNodeStorage() {}

    /** The broker's configuration: laptop-sized tunables, then {@code overrides}, then the node's identity (fixed). */
    static Map<String, String> brokerConfig(Map<String, String> overrides, int clientPort, int ctrlPort, Path logDir) {
        Map<String, String> p = new HashMap<>();
        // Tunables first, so that overrides can replace them ...
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("transaction.max.timeout.ms", Integer.toString(EmbeddedKafkaBroker.TRANSACTION_MAX_TIMEOUT_MS));
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // A laptop-sized thread budget.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("controlled.shutdown.enable", "true");
        p.putAll(overrides);
        // ... and the identity of the node last, so they cannot be overridden.
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(EmbeddedKafkaBroker.NODE_ID));
        p.put(
                "controller.quorum.voters",
                EmbeddedKafkaBroker.NODE_ID + "@" + EmbeddedKafkaBroker.BIND_ADDRESS + ":" + ctrlPort);
        p.put("controller.listener.names", EmbeddedKafkaBroker.CONTROLLER_LISTENER);
        p.put(
                "listeners",
                EmbeddedKafkaBroker.CLIENT_LISTENER + "://" + EmbeddedKafkaBroker.BIND_ADDRESS + ":" + clientPort + ","
                        + EmbeddedKafkaBroker.CONTROLLER_LISTENER + "://" + EmbeddedKafkaBroker.BIND_ADDRESS + ":"
                        + ctrlPort);
        p.put(
                "advertised.listeners",
                EmbeddedKafkaBroker.CLIENT_LISTENER + "://" + EmbeddedKafkaBroker.ADVERTISED_HOST + ":" + clientPort);
        p.put(
                "listener.security.protocol.map",
                EmbeddedKafkaBroker.CLIENT_LISTENER + ":PLAINTEXT," + EmbeddedKafkaBroker.CONTROLLER_LISTENER
                        + ":PLAINTEXT");
        p.put("inter.broker.listener.name", EmbeddedKafkaBroker.CLIENT_LISTENER);
        p.put("log.dirs", logDir.toString());
        return p;
    }

    /** Formats the storage directory on first use (latest production metadata version); reuses it afterwards. */
    static void formatIfNeeded(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(EmbeddedKafkaBroker.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setUnstableFeatureVersionsEnabled(false)
                    .setControllerListenerName(EmbeddedKafkaBroker.CONTROLLER_LISTENER)
                    .setIgnoreFormatted(true);
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka storage directory " + logDir + ": " + e, e);
        }
    }
}
