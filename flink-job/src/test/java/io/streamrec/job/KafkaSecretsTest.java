package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.kafka.KafkaTestBroker;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.replay.ProducerSettings;
import io.streamrec.replay.ReplayOptions;
import io.streamrec.replay.ReplayProducer;
import io.streamrec.testutil.LogCapture;
import io.streamrec.testutil.TopicReader;
import io.streamrec.weights.WeightsFollower;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security settings ({@code kafka.*}) reach every Kafka client of the job and of the replay producer, and no
 * secret value shows up in the printed configuration, the producer's stdout, or the log of a running job (captured at
 * INFO, where Kafka clients print their whole configuration).
 */
class KafkaSecretsTest {
    private static final String JAAS_SECRET = "jaas-pw-5f1c";
    private static final String KEYSTORE_SECRET = "keystore-pw-9b2e";
    private static final String TRUSTSTORE_SECRET = "truststore-pw-47aa";
    private static final String KEY_SECRET = "key-pw-c03d";
    private static final List<String> SECRETS = List.of(JAAS_SECRET, KEYSTORE_SECRET, TRUSTSTORE_SECRET, KEY_SECRET);

    @Test
    void securityPropertiesReachEveryClientAndNoSecretIsPrintedOrLogged(@TempDir Path tmp) throws Exception {
        var data = SyntheticGenerator.generate(SyntheticConfig.of(30, 80, 150, 5));
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                LogCapture capture = LogCapture.start()) {
            kafka.createTopics(1, "ratings", "recommendations", "ratings-dlq", "metrics", "transitions");
            kafka.createTopic("actor-weights", 1, Map.of("cleanup.policy", "compact", "max.message.bytes", "67108864"));
            // The broker listens in PLAINTEXT: the SASL/SSL settings are carried but unused, as a client does without
            // them.
            StreamrecConfig config = StreamrecConfig.fromArgs(
                    "--bootstrap.servers",
                    kafka.bootstrapServers(),
                    "--parallelism",
                    "1",
                    "--actor.embedding.dim",
                    "16",
                    "--actor.hidden.dim",
                    "32",
                    "--policies",
                    "popularity,drr",
                    "--checkpoint.dir",
                    tmp.resolve("cp").toUri().toString(),
                    "--checkpoint.interval.ms",
                    "1000",
                    "--kafka.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\""
                            + JAAS_SECRET + "\";",
                    "--kafka.sasl.mechanism",
                    "PLAIN",
                    "--kafka.ssl.keystore.password",
                    KEYSTORE_SECRET,
                    "--kafka.ssl.truststore.password",
                    TRUSTSTORE_SECRET,
                    "--kafka.ssl.key.password",
                    KEY_SECRET);

            // every Kafka client the job builds carries the settings
            StreamrecJob job = StreamrecJob.fromKafka(config, ItemCatalog.of(data.movies()));
            List<Properties> clients = kafkaClientProperties(job);
            assertThat(clients)
                    .hasSize(1 + 5
                            + 1); // ratings source; recommendations, dlq, metrics, transitions, weights sinks; follower
            for (Properties p : clients) {
                assertThat(p.getProperty("sasl.jaas.config")).contains(JAAS_SECRET);
                assertThat(p)
                        .containsEntry("sasl.mechanism", "PLAIN")
                        .containsEntry("ssl.keystore.password", KEYSTORE_SECRET)
                        .containsEntry("ssl.truststore.password", TRUSTSTORE_SECRET)
                        .containsEntry("ssl.key.password", KEY_SECRET);
            }
            // ... and so does the replay producer (the embedded demo builds it from the same kafka.* settings)
            Properties producer =
                    ProducerSettings.build(kafka.bootstrapServers(), config.kafkaProperties(), new ArrayList<>());
            assertThat(producer).containsEntry("ssl.keystore.password", KEYSTORE_SECRET);

            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            out.println("configuration " + config);
            out.println(String.join(", ", ProducerSettings.describe(producer)));
            try (ReplayProducer replay =
                    ReplayProducer.create(producer, ReplayOptions.defaults().withProgressIntervalMillis(0), out)) {
                assertThat(replay.replay(data.events(), 0).acknowledged())
                        .isEqualTo(data.events().size());
            }

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamrecJob.flinkConfiguration(config));
            JobClient running = job.executeAsync(env, "secrets");
            int recs;
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "recommendations")) {
                recs = reader.readUntil(
                                r -> r.size() >= data.events().size(), Duration.ofSeconds(60), Duration.ofMinutes(3))
                        .size();
            } finally {
                running.cancel().get();
            }
            assertThat(recs).isEqualTo(data.events().size());

            String printed = stdout.toString(StandardCharsets.UTF_8);
            String logged = capture.text();
            // the capture works: Kafka clients printed their configuration, with the secrets hidden
            assertThat(logged)
                    .contains("ProducerConfig values", "ConsumerConfig values", "sasl.jaas.config = [hidden]");
            assertThat(printed).contains("kafka.ssl.keystore.password=******");
            for (String secret : SECRETS) {
                assertThat(printed).as("stdout").doesNotContain(secret);
                assertThat(logged).as("log").doesNotContain(secret);
            }
            System.out.printf(
                    "[secrets] clients=%d secrets=%d logChars=%d printedChars=%d leaks=0 recs=%d%n",
                    clients.size() + 1, SECRETS.size(), logged.length(), printed.length(), recs);
        }
    }

    /** The properties of every Kafka source, sink and weights follower the job holds (found by type, not by name). */
    private static List<Properties> kafkaClientProperties(Object job) throws Exception {
        List<Properties> found = new ArrayList<>();
        for (Field f : StreamrecJob.class.getDeclaredFields()) {
            f.setAccessible(true);
            collect(f.get(job), found);
        }
        return found;
    }

    private static void collect(Object value, List<Properties> found) throws Exception {
        if (value instanceof KafkaSource<?> source) {
            found.add((Properties) field(KafkaSource.class, "props").get(source));
        } else if (value instanceof KafkaSink<?> sink) {
            found.add((Properties) field(KafkaSink.class, "kafkaProducerConfig").get(sink));
        } else if (value instanceof WeightsFollower.Source follow) {
            found.add(follow.kafkaProperties());
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                collect(c.getAccessor().invoke(value), found);
            }
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
