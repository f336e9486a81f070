package io.streamrec.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Checks the structure of the repository's docker-compose.yml: services, mounted jars, topics, health dependencies. */
class DockerComposeFileTest {

    private static final List<String> SERVICES =
            List.of("kafka", "kafka-init", "jobmanager", "taskmanager", "job-submit", "producer");
    private static final String JOB_JAR = "flink-job/target/streamrec-job.jar";
    private static final String PRODUCER_JAR = "producer/target/streamrec-producer.jar";

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        root = repoRoot();
        try (Reader r = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        }
        services = (Map<String, Object>) compose.get("services");
    }

    /** From -Dstreamrec.repo.root / maven.multiModuleProjectDirectory, else the first parent holding docker-compose.yml. */
    static Path repoRoot() {
        for (String prop : List.of("streamrec.repo.root", "maven.multiModuleProjectDirectory")) {
            String v = System.getProperty(prop);
            if (v != null && Files.isRegularFile(Path.of(v, "docker-compose.yml"))) {
                return Path.of(v).toAbsolutePath().normalize();
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void hasAllServicesWithPinnedImages() {
        assertThat(services).containsKeys(SERVICES.toArray(String[]::new));
        assertThat(service("kafka").get("image")).isEqualTo(KafkaTestBroker.IMAGE);
        assertThat(service("kafka-init").get("image")).isEqualTo(KafkaTestBroker.IMAGE);
        for (String flink : List.of("jobmanager", "taskmanager", "job-submit")) {
            assertThat(service(flink).get("image")).as(flink).isEqualTo("flink:2.2.1-java17");
        }
        assertThat(service("producer").get("image")).isEqualTo("eclipse-temurin:17-jre");
        assertThat((String) service("prometheus").get("image")).startsWith("prom/prometheus:v");
    }

    /** Flink's Prometheus reporter is on in the cluster, and the Prometheus service scrapes both Flink processes. */
    @Test
    void prometheusScrapesFlinksReporter() throws IOException {
        for (String flink : List.of("jobmanager", "taskmanager")) {
            @SuppressWarnings("unchecked")
            String properties =
                    (String) ((Map<String, Object>) service(flink).get("environment")).get("FLINK_PROPERTIES");
            assertThat(properties)
                    .as(flink)
                    .contains(
                            "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                    .contains("metrics.reporter.prom.port: 9249");
        }
        Mount config = mountOf("prometheus", "/etc/prometheus/prometheus.yml");
        String scrape = Files.readString(root.resolve(normalize(config.source())));
        assertThat(scrape).contains("jobmanager:9249").contains("taskmanager:9249");
    }

    @Test
    void jobSubmitMountsTheJobJarAndSubmitsItToTheJobManager() {
        Mount jar = mountOf("job-submit", "/opt/streamrec/streamrec-job.jar");
        assertThat(normalize(jar.source())).isEqualTo(JOB_JAR);

        String cmd = commandText("job-submit");
        assertThat(cmd).contains("flink run -d -m jobmanager:8081 /opt/streamrec/streamrec-job.jar");
        assertThat(cmd).containsPattern("--bootstrap[.-]servers kafka:29092");
    }

    @Test
    void producerMountsTheProducerJarAndRunsTheSimulator() {
        Mount jar = mountOf("producer", "/opt/streamrec/streamrec-producer.jar");
        assertThat(normalize(jar.source())).isEqualTo(PRODUCER_JAR);

        String cmd = commandText("producer");
        assertThat(cmd)
                .contains("java -jar /opt/streamrec/streamrec-producer.jar")
                .contains("--bootstrap-servers kafka:29092")
                .contains("--synthetic");
    }

    @Test
    void kafkaInitCreatesEveryTopicAndActorWeightsCompacted() {
        List<String> lines = commandText("kafka-init").lines().map(String::trim).collect(Collectors.toList());
        for (String topic :
                List.of("ratings", "recommendations", "transitions", "metrics", "ratings-dlq", "actor-weights")) {
            List<String> creating = lines.stream()
                    .filter(l -> l.matches(".*--topic\\s+" + topic + "(\\s.*|$)"))
                    .collect(Collectors.toList());
            assertThat(creating).as("a line creating topic " + topic).hasSize(1);
            if (topic.equals("actor-weights")) {
                assertThat(creating.get(0)).contains("--config cleanup.policy=compact");
            } else {
                if (topic.equals("ratings") || topic.equals("ratings-dlq")) {
                    // a ~1 MB bad record and its base64 dead letter must fit (Topics.LARGE_RECORD_MAX_BYTES)
                    assertThat(creating.get(0)).contains("--config max.message.bytes=2097152");
                }
                assertThat(creating.get(0)).doesNotContain("compact");
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("kafka-topics.sh") && l.contains("--if-not-exists"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaListensInsideTheNetworkAndOnTheHost() {
        Map<String, Object> kafka = service("kafka");
        assertThat((List<String>) kafka.get("ports")).contains("9092:9092");
        Map<String, Object> env = (Map<String, Object>) kafka.get("environment");
        assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")))
                .contains("//kafka:29092")
                .contains("//localhost:9092");
        assertThat(String.valueOf(env.get("KAFKA_PROCESS_ROLES"))).isEqualTo("broker,controller");
        assertThat(String.valueOf(env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS")))
                .isEqualTo(Integer.toString(EmbeddedKafkaBroker.TRANSACTION_MAX_TIMEOUT_MS));
        assertThat(String.valueOf(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))).isEqualTo("false");
        assertThat(kafka).containsKey("healthcheck");
    }

    @Test
    void startupOrderIsGuardedByHealthchecksAndInitCompletion() {
        assertThat(condition("kafka-init", "kafka")).isEqualTo("service_healthy");
        assertThat(condition("job-submit", "jobmanager")).isEqualTo("service_healthy");
        assertThat(condition("job-submit", "kafka-init")).isEqualTo("service_completed_successfully");
        assertThat(condition("producer", "kafka-init")).isEqualTo("service_completed_successfully");
        // Whatever is waited on for health must define a healthcheck.
        for (String name : services.keySet()) {
            dependsOn(name).forEach((dep, cond) -> {
                assertThat(services).as(name + " depends on " + dep).containsKey(dep);
                if ("service_healthy".equals(cond)) {
                    assertThat(service(dep)).as(dep + " healthcheck").containsKey("healthcheck");
                }
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void flinkUsesRocksDbWithCheckpointsOnASharedVolume() {
        for (String name : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> env = (Map<String, Object>) service(name).get("environment");
            String props = String.valueOf(env.get("FLINK_PROPERTIES"));
            assertThat(props)
                    .as(name)
                    .contains("state.backend.type: rocksdb")
                    .contains("jobmanager.rpc.address: jobmanager")
                    .contains("execution.checkpointing.dir: file:///opt/flink/checkpoints/");
            Mount checkpoints = mountOf(name, "/opt/flink/checkpoints");
            assertThat(checkpoints.source()).as("named volume").doesNotContain("/");
            assertThat((Map<String, Object>) compose.get("volumes")).containsKey(checkpoints.source());
        }
        assertThat(commandText("job-submit")).contains("--checkpoint.dir file:///opt/flink/checkpoints/");
    }

    @Test
    void everyMountedHostFileOutsideTargetExists() {
        for (String name : services.keySet()) {
            for (Mount m : mounts(name)) {
                String src = m.source();
                if (src.startsWith(".") && !src.contains("/target/")) {
                    assertThat(root.resolve(src).normalize())
                            .as(name + " mount " + src)
                            .exists();
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------

    record Mount(String source, String target) {}

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Object s = services.get(name);
        assertThat(s).as("service " + name).isInstanceOf(Map.class);
        return (Map<String, Object>) s;
    }

    @SuppressWarnings("unchecked")
    private static List<Mount> mounts(String name) {
        List<Mount> out = new ArrayList<>();
        Object vols = service(name).get("volumes");
        if (vols == null) {
            return out;
        }
        for (Object v : (List<Object>) vols) {
            if (v instanceof String s) {
                String[] parts = s.split(":");
                out.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0]));
            } else if (v instanceof Map<?, ?> m) {
                out.add(new Mount(String.valueOf(m.get("source")), String.valueOf(m.get("target"))));
            }
        }
        return out;
    }

    private static Mount mountOf(String name, String target) {
        Optional<Mount> m =
                mounts(name).stream().filter(x -> x.target().equals(target)).findFirst();
        assertThat(m).as(name + " mounts something at " + target).isPresent();
        return m.get();
    }

    private static String normalize(String source) {
        return Path.of(source).normalize().toString().replace('\\', '/');
    }

    @SuppressWarnings("unchecked")
    private static String commandText(String name) {
        Object cmd = service(name).get("command");
        if (cmd instanceof List<?> list) {
            return ((List<Object>) list).stream().map(String::valueOf).collect(Collectors.joining(" "));
        }
        return String.valueOf(cmd);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String name) {
        Object deps = service(name).get("depends_on");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (deps instanceof List<?> list) {
            list.forEach(d -> out.put(String.valueOf(d), "service_started"));
        } else if (deps instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(
                    String.valueOf(k),
                    v instanceof Map<?, ?> c && c.get("condition") != null
                            ? String.valueOf(c.get("condition"))
                            : "service_started"));
        }
        return out;
    }

    private static String condition(String service, String dependency) {
        return dependsOn(service).get(dependency);
    }
}
