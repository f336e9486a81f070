package io.streamrec.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.kafka.EmbeddedKafkaBroker;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.TopicSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays onto a real (embedded, KRaft) Kafka broker and reads everything back. */
class KafkaReplayTest {
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(0, null);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    void replayedSyntheticEventsComeBackExactlyKeyedValidAndInPerUserTimeOrder() {
        String topic = "ratings-it-replay";
        broker.createTopics(3, topic);
        EventLog events = SyntheticGenerator.generate(SyntheticConfig.of(40, 300, 4000, 11))
                .events();
        Properties kafka = ProducerSettings.build(broker.bootstrapServers(), new Properties(), new ArrayList<>());
        ReplaySummary summary;
        try (ReplayProducer p =
                ReplayProducer.create(kafka, ReplayOptions.defaults().withTopic(topic), null)) {
            summary = p.replay(events, 0);
        }
        assertThat(summary.complete()).as(summary.line()).isTrue();
        assertThat(summary.acknowledged()).isEqualTo(4000);

        List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 4000);
        assertThat(records).hasSize(4000);
        Map<String, Long> lastTimestamp = new HashMap<>();
        Map<String, Integer> partitionOfUser = new HashMap<>();
        List<RatingEvent> consumed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(TopicSchemas.violations("ratings", r.value()))
                    .as(new String(r.value(), StandardCharsets.UTF_8))
                    .isEmpty();
            RatingEvent e = read(r.value());
            consumed.add(e);
            assertThat(r.key()).isEqualTo(Integer.toString(e.userId));
            assertThat(partitionOfUser.computeIfAbsent(r.key(), k -> r.partition()))
                    .as("one partition per user")
                    .isEqualTo(r.partition());
            Long prev = lastTimestamp.put(r.key(), e.timestamp);
            if (prev != null) {
                assertThat(e.timestamp).as("user %s in time order", r.key()).isGreaterThanOrEqualTo(prev);
            }
        }
        assertThat(partitionOfUser.values())
                .as("users spread over the partitions")
                .containsOnly(0, 1, 2)
                .contains(0, 1, 2);
        assertThat(consumed).containsExactlyInAnyOrderElementsOf(events.asList());
    }

    @Test
    void cliInProcessSelectsPacesAndNeverPrintsSecrets() throws Exception {
        String topic = "ratings-it-cli";
        broker.createTopics(2, topic);
        Path config =
                Files.writeString(dir.resolve("client.properties"), "ssl.key.password=hunter2\nclient.id=cli-test\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProducerCli.Result r = ProducerCli.execute(
                new String[] {
                    "--synthetic",
                    "--users",
                    "30",
                    "--items",
                    "100",
                    "--events",
                    "1500",
                    "--seed",
                    "5",
                    "--skip",
                    "100",
                    "--limit",
                    "1000",
                    "--max-rate",
                    "2000",
                    "--topic",
                    topic,
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--producer-config",
                    config.toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(r.exitCode()).as(stdout + err).isZero();
        assertThat(r.summary().acknowledged()).isEqualTo(1000);
        // 999 intervals at 2000/s: at least half a second.
        assertThat(r.summary().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(495));
        assertThat(stdout + err).doesNotContain("hunter2").contains("ssl.key.password=******", "client.id=cli-test");
        assertThat(stdout).contains("summary: sent 1,000 of 1,000 (acked 1,000, failed 0), malformed 0");

        List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 1000);
        assertThat(records).hasSize(1000);
        EventLog all = SyntheticGenerator.generate(SyntheticConfig.of(30, 100, 1500, 5))
                .events();
        List<RatingEvent> consumed = records.stream().map(x -> read(x.value())).toList();
        assertThat(consumed).containsExactlyInAnyOrderElementsOf(all.asList().subList(100, 1100));
    }

    @Test
    void aTopicThatDoesNotExistIsAReportedFailureWithExitCode1() throws Exception {
        Path config = Files.writeString(dir.resolve("fast-fail.properties"), "max.block.ms=1500\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ProducerCli.run(
                new String[] {
                    "--synthetic",
                    "--users",
                    "5",
                    "--items",
                    "10",
                    "--events",
                    "20",
                    "--topic",
                    "no-such-topic",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--producer-config",
                    config.toString()
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("send failed").contains("no-such-topic");
    }

    private static RatingEvent read(byte[] json) {
        try {
            return Json.read(json, RatingEvent.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything on the topic: polls until {@code expected} records arrived, then a little longer to catch extras. */
    private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}
