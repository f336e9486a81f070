package io.streamrec.kafka;

import java.util.Map;

/**
 * A running Kafka cluster that clients can reach: its bootstrap address and idempotent topic creation.
 *
 * <p>Implemented by {@link EmbeddedKafkaBroker} (in-process KRaft node) and {@link KafkaTestBroker} (Docker
 * container or embedded fallback), so integration tests and the embedded launcher do not care which one runs.
 */
public interface KafkaEndpoint extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 and the given topic configs, and waits until its partitions have a
     * leader. Idempotent: if the topic exists already, the given configs are applied to it and nothing else changes
     * (in particular the partition count is left as it is).
     */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** Creates each named topic (replication factor 1, default configs); topics that already exist are fine. */
    void createTopics(int partitions, String... names);

    /** Creates (or converts) a topic with {@code cleanup.policy=compact}. */
    default void createCompactedTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of("cleanup.policy", "compact"));
    }

    /** Stops the cluster and frees everything it holds; never throws. */
    @Override
    void close();
}
