package io.streamrec.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests of {@link KafkaTestBroker}: the Docker/embedded choice and the endpoint it hands out. */
@Timeout(300)
class KafkaTestBrokerTest {

    private final String savedMode = System.getProperty(KafkaTestBroker.MODE_PROPERTY);

    @AfterEach
    void restoreMode() {
        if (savedMode == null) {
            System.clearProperty(KafkaTestBroker.MODE_PROPERTY);
        } else {
            System.setProperty(KafkaTestBroker.MODE_PROPERTY, savedMode);
        }
    }

    @Test
    void dockerDetectionIsQuickAndStable() {
        long t0 = System.nanoTime();
        boolean first = KafkaTestBroker.isDockerAvailable();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf(
                "[timing] Docker probe: %d ms -> %s (hint: %s)%n",
                took.toMillis(), first, KafkaTestBroker.dockerHint().orElse("none"));

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(KafkaTestBroker.isDockerAvailable()).isEqualTo(first);
        if (KafkaTestBroker.dockerHint().isEmpty()) {
            assertThat(first).isFalse();
        }
    }

    @Test
    void autoModeGivesAWorkingBroker() throws Exception {
        System.clearProperty(KafkaTestBroker.MODE_PROPERTY);
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            if (!KafkaTestBroker.isDockerAvailable() && !"docker".equals(KafkaTestBroker.mode())) {
                assertThat(kafka.kind()).isEqualTo(KafkaTestBroker.Kind.EMBEDDED);
                assertThat(kafka.embedded()).isPresent();
            }
            roundTrip(kafka);
        }
    }

    @Test
    void embeddedCanBeForcedWithTheSystemProperty() throws Exception {
        System.setProperty(KafkaTestBroker.MODE_PROPERTY, "EMBEDDED");
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            assertThat(kafka.kind()).isEqualTo(KafkaTestBroker.Kind.EMBEDDED);
            assertThat(kafka.bootstrapServers()).startsWith("localhost:");
            roundTrip(kafka);

            // The embedded handle is exposed for outage tests.
            EmbeddedKafkaBroker broker = kafka.embedded().orElseThrow();
            broker.stop();
            broker.restart();
            assertThat(Clients.consume(kafka.bootstrapServers(), "tb-ratings", 3, Map.of()))
                    .hasSize(3);
        }
    }

    @Test
    void anUnknownModeIsRejected() {
        System.setProperty(KafkaTestBroker.MODE_PROPERTY, "kubernetes");
        assertThatThrownBy(KafkaTestBroker::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kubernetes");
    }

    private static void roundTrip(KafkaEndpoint kafka) throws Exception {
        kafka.createTopics(2, "tb-ratings", "tb-recommendations");
        kafka.createTopics(2, "tb-ratings");
        kafka.createCompactedTopic("tb-weights", 1);
        Clients.produce(kafka.bootstrapServers(), "tb-ratings", List.of("1", "2", "3"));
        assertThat(Clients.consume(kafka.bootstrapServers(), "tb-ratings", 3, Map.of()))
                .containsExactlyInAnyOrder("1", "2", "3");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource weights = new ConfigResource(ConfigResource.Type.TOPIC, "tb-weights");
            assertThat(admin.describeConfigs(List.of(weights))
                            .all()
                            .get()
                            .get(weights)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
        }
    }
}
