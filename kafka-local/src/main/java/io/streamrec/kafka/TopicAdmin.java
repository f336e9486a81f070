package io.streamrec.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Idempotent topic creation through an {@link Admin} client, shared by the embedded and the Docker broker. */
final class TopicAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;

    TopicAdmin(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamrec-kafka-local-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(props);
    }

    /** Creates the topics (RF 1); existing ones get {@code configs} applied. Waits until every partition has a leader. */
    void createTopics(Collection<String> names, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<NewTopic> newTopics = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic name must not be blank");
            }
            newTopics.add(new NewTopic(name, partitions, (short) 1).configs(configs));
        }
        if (newTopics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
        List<String> existing = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof TopicExistsException) {
                    existing.add(e.getKey());
                } else {
                    throw new IllegalStateException(
                            "Could not create topic " + e.getKey() + ": " + ex.getCause(), ex.getCause());
                }
            } catch (TimeoutException ex) {
                throw new IllegalStateException("Timed out creating topic " + e.getKey(), ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + e.getKey(), ex);
            }
        }
        if (!existing.isEmpty() && !configs.isEmpty()) {
            applyConfigs(existing, configs);
        }
        awaitLeaders(names);
    }

    private void applyConfigs(List<String> topics, Map<String, String> configs) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String topic : topics) {
            List<AlterConfigOp> list = new ArrayList<>();
            configs.forEach((k, v) -> list.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), list);
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not apply " + configs + " to existing topics " + topics, e);
        }
    }

    /** Polls the broker's metadata until every partition of every topic has a leader (the broker serves them). */
    private void awaitLeaders(Collection<String> names) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Set<String> pending = new java.util.TreeSet<>(names);
        Throwable last = null;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(pending).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                descriptions.forEach((name, d) -> {
                    boolean allLed = !d.partitions().isEmpty();
                    for (TopicPartitionInfo p : d.partitions()) {
                        allLed &= p.leader() != null && !p.leader().isEmpty();
                    }
                    if (allLed) {
                        pending.remove(name);
                    }
                });
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topics " + pending, e.getCause());
                }
                last = e.getCause();
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + pending, e);
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Topics " + pending + " have no partition leader after " + TIMEOUT, last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + pending, e);
            }
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
