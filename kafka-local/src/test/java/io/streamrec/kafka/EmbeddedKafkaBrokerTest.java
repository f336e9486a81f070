package io.streamrec.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Integration tests of {@link EmbeddedKafkaBroker} against the real in-process broker. */
@Timeout(180)
class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker shared;

    @BeforeAll
    static void startShared() {
        long t0 = System.nanoTime();
        shared = EmbeddedKafkaBroker.start(0, null);
        System.out.printf(
                "[timing] embedded broker start (first in JVM): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopShared() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void producesAndConsumes() throws Exception {
        shared.createTopics(3, "round-trip");
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "v" + i).collect(Collectors.toList());
        Clients.produce(shared.bootstrapServers(), "round-trip", sent);

        List<String> got = Clients.consume(shared.bootstrapServers(), "round-trip", sent.size(), Map.of());

        assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions() throws Exception {
        shared.createTopics(1, "tx");
        try (KafkaProducer<String, String> producer = Clients.producer(
                shared.bootstrapServers(),
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "tx-test",
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        EmbeddedKafkaBroker.TRANSACTION_MAX_TIMEOUT_MS))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
            producer.send(new ProducerRecord<>("tx", "b", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "c", "aborted-1")).get();
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "d", "committed-3"));
            producer.commitTransaction();
        }

        List<String> committed = Clients.consume(
                shared.bootstrapServers(), "tx", 3, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<String> uncommitted = Clients.consume(
                shared.bootstrapServers(), "tx", 4, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));

        assertThat(committed).containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(uncommitted).contains("aborted-1");
    }

    @Test
    void transactionTimeoutAboveTheBrokerMaximumIsRejected() {
        try (KafkaProducer<String, String> producer = Clients.producer(
                shared.bootstrapServers(),
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "tx-too-long",
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        EmbeddedKafkaBroker.TRANSACTION_MAX_TIMEOUT_MS + 1))) {
            assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("transaction timeout");
        }
    }

    @Test
    void compactedTopicHasCompactCleanupPolicy() throws Exception {
        shared.createCompactedTopic("actor-weights-test", 1);
        shared.createCompactedTopic("actor-weights-test", 1); // idempotent
        shared.createTopics(1, "made-compact-later");
        shared.createTopics(1, "made-compact-later"); // idempotent
        shared.createCompactedTopic("made-compact-later", 1); // converts the existing topic

        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.bootstrapServers()))) {
            ConfigResource compacted = new ConfigResource(ConfigResource.Type.TOPIC, "actor-weights-test");
            ConfigResource converted = new ConfigResource(ConfigResource.Type.TOPIC, "made-compact-later");
            ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "round-trip-plain");
            shared.createTopics(1, "round-trip-plain");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(compacted, converted, plain))
                    .all()
                    .get();

            assertThat(configs.get(compacted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(converted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(plain).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void brokerSettingsAreThoseOfASingleNodeCluster() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.bootstrapServers()))) {
            ConfigResource broker =
                    new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(EmbeddedKafkaBroker.NODE_ID));
            Config c = admin.describeConfigs(List.of(broker)).all().get().get(broker);

            assertThat(c.get("transaction.max.timeout.ms").value()).isEqualTo("900000");
            assertThat(c.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(c.get("log.cleaner.enable").value()).isEqualTo("true");
            assertThat(c.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
            assertThat(c.get("offsets.topic.replication.factor").value()).isEqualTo("1");
            assertThat(c.get("transaction.state.log.replication.factor").value())
                    .isEqualTo("1");
            assertThat(c.get("transaction.state.log.min.isr").value()).isEqualTo("1");
            assertThat(c.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    @Test
    void aFixedPortIsTheClientListenerOnLocalhost() throws Exception {
        int port = freePort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null)) {
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + port);

            // A plain client that only knows "localhost:PORT", like kafka-console-consumer would.
            String bootstrap = "localhost:" + port;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Collection<Node> nodes = admin.describeCluster().nodes().get();
                assertThat(nodes).singleElement().satisfies(n -> {
                    assertThat(n.host()).isEqualTo("localhost");
                    assertThat(n.port()).isEqualTo(port);
                });
            }
            broker.createTopics(1, "fixed");
            Clients.produce(bootstrap, "fixed", List.of("x", "y"));
            assertThat(Clients.consume(bootstrap, "fixed", 2, Map.of())).containsExactly("x", "y");
            assertThat(Clients.consume("127.0.0.1:" + port, "fixed", 2, Map.of()))
                    .containsExactly("x", "y");
        }
    }

    @Test
    void dataSurvivesStopAndRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
            int port = broker.port();
            broker.createTopics(2, "durable");
            broker.createCompactedTopic("durable-compacted", 1);
            List<String> before = List.of("r1", "r2", "r3", "r4");
            Clients.produce(broker.bootstrapServers(), "durable", before);

            long t0 = System.nanoTime();
            broker.stop();
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(broker.isRunning()).isFalse();
            assertThat(LocalPorts.isFree(port))
                    .as("port released while stopped")
                    .isTrue();
            assertThatThrownBy(() -> broker.createTopics(1, "x")).isInstanceOf(IllegalStateException.class);

            t0 = System.nanoTime();
            broker.restart();
            System.out.printf("[timing] stop: %d ms, restart: %d ms%n", stopMs, (System.nanoTime() - t0) / 1_000_000);

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(Clients.consume(broker.bootstrapServers(), "durable", before.size(), Map.of()))
                    .containsExactlyInAnyOrderElementsOf(before);
            // New writes work after the restart too.
            Clients.produce(broker.bootstrapServers(), "durable", List.of("r5"));
            assertThat(Clients.consume(broker.bootstrapServers(), "durable", 5, Map.of()))
                    .hasSize(5);
        }
        assertThat(dir).as("a caller-supplied data dir is kept").isDirectory();

        // ... and a brand-new broker on the same directory sees the data as well.
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(0, dir)) {
            assertThat(Clients.consume(again.bootstrapServers(), "durable", 5, Map.of()))
                    .hasSize(5);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("durable", "durable-compacted");
            }
        }
    }

    @Test
    void startAndCloseTwiceInOneJvmFreesPortThreadsAndTempDir() throws Exception {
        int port = freePort();
        for (int round = 1; round <= 2; round++) {
            Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
            long t0 = System.nanoTime();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null);
            System.out.printf("[timing] start round %d: %d ms%n", round, (System.nanoTime() - t0) / 1_000_000);
            Path tmp = broker.dataDir();
            broker.createTopics(1, "cycle");
            Clients.produce(broker.bootstrapServers(), "cycle", List.of("m"));
            assertThat(newThreads(before))
                    .as("the broker runs threads")
                    .anyMatch(EmbeddedKafkaBrokerTest::isBrokerThread);
            t0 = System.nanoTime();
            broker.close();
            System.out.printf("[timing] close round %d: %d ms%n", round, (System.nanoTime() - t0) / 1_000_000);
            broker.close(); // idempotent

            assertThat(LocalPorts.isFree(port))
                    .as("port free after close, round " + round)
                    .isTrue();
            assertThat(Files.exists(tmp))
                    .as("temp data dir deleted, round " + round)
                    .isFalse();
            List<String> left = awaitNoNewThreads(before, Duration.ofSeconds(15));
            assertThat(left)
                    .as("broker threads still alive after close, round " + round)
                    .noneMatch(EmbeddedKafkaBrokerTest::isBrokerThread);
            if (round == 2) {
                // Round 1 may have created JVM-wide singletons (e.g. the Yammer metrics tick thread); round 2 must not
                // leave a single thread behind.
                assertThat(left)
                        .as("threads left by the second start/close cycle")
                        .isEmpty();
            }
        }
    }

    @Test
    void aTakenPortFailsFastWithAClearMessage() throws Exception {
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = blocker.getLocalPort();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(port, null))
                    .isInstanceOf(EmbeddedKafkaBroker.PortInUseException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("already in use")
                    .satisfies(e -> assertThat(((EmbeddedKafkaBroker.PortInUseException) e).port())
                            .isEqualTo(port));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.bind(new InetSocketAddress(0)); // wildcard address, like a stock Kafka on :9092
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(port, null))
                    .isInstanceOf(EmbeddedKafkaBroker.PortInUseException.class);
        }
    }

    @Test
    void brokerLoggersAreTurnedDownUnlessConfiguredExplicitly() {
        // log4j2-test.xml: root INFO, org.apache.kafka.snapshot INFO (explicit), nothing for kafka.* / raft.
        assertThat(LoggerFactory.getLogger("kafka.server.BrokerServer").isInfoEnabled())
                .isFalse();
        assertThat(LoggerFactory.getLogger("kafka.server.BrokerServer").isWarnEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger("org.apache.kafka.raft.KafkaRaftClient")
                        .isInfoEnabled())
                .isFalse();
        assertThat(LoggerFactory.getLogger("org.apache.kafka.snapshot.Snapshots")
                        .isInfoEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger("io.streamrec.anything").isInfoEnabled())
                .isTrue();
    }

    @Test
    void rejectsAnInvalidPort() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(-1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(70000, null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ----------------------------------------------------------------------------------------------------------

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        }
    }

    private static List<String> newThreads(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t)) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Waits until every thread started since {@code before} has ended; returns those still alive at the timeout. */
    private static List<String> awaitNoNewThreads(Set<Thread> before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> left = newThreads(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = newThreads(before);
        }
        if (!left.isEmpty()) {
            System.out.println("[threads] still alive after close: " + left);
        }
        return left;
    }

    private static boolean isBrokerThread(String n) {
        return n.startsWith("data-plane-kafka")
                || n.startsWith("kafka-request-handler")
                || n.contains("raft")
                || n.startsWith("quorum-controller")
                || n.startsWith("kafka-log-cleaner")
                || n.startsWith("broker-")
                || n.startsWith("controller-")
                || n.startsWith("kafka-scheduler")
                || n.startsWith("ExpirationReaper")
                || n.startsWith("group-coordinator")
                || n.startsWith("share-coordinator")
                || n.startsWith("kafka-network-thread")
                || n.startsWith("LogDirFailureHandler")
                || n.startsWith("transaction-log-manager")
                || n.startsWith("TxnMarkerSenderThread")
                || n.startsWith("streamrec-kafka-local-admin")
                || n.contains("kafka-local-admin");
    }
}
