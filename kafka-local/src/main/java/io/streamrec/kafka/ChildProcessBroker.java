package io.streamrec.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded broker ({@link EmbeddedKafkaBroker#main}) in a JVM of its own, started from this JVM's classpath: a
 * long benchmark measures its own process without the broker's heap, page cache and threads mixed in, and can still
 * read the broker's memory ({@link #rssKb()}). Stopped (destroyed) on {@link #close()} and when this JVM exits.
 */
public final class ChildProcessBroker implements KafkaEndpoint {
    private static final Pattern RUNNING = Pattern.compile("Kafka is running on (\\S+) ");
    private final Process process;
    private final String bootstrap;
    private TopicAdmin topicAdmin;

    private ChildProcessBroker(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts the broker on a free port with its data in {@code dataDir}; waits (90 s at most) until it serves. */
    public static ChildProcessBroker start(Path dataDir, String maxHeap) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EmbeddedKafkaBroker.class.getName());
        cmd.add("0");
        cmd.add(dataDir.toString());
        Files.createDirectories(dataDir);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) { // drained to the end: never blocks it
                            Matcher m = RUNNING.matcher(line);
                            if (m.find()) address.complete(m.group(1));
                        }
                    } catch (IOException e) {
                        address.completeExceptionally(e);
                    }
                    address.completeExceptionally(new IllegalStateException("the broker process exited"));
                },
                "child-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildProcessBroker(p, address.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the broker process did not start within 90 s: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The broker process's id. */
    public long pid() {
        return process.pid();
    }

    /** The broker process's resident set (KB; −1 where /proc is not there or it has exited). */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public synchronized void createTopic(String name, int partitions, Map<String, String> configs) {
        admin().createTopics(List.of(name), partitions, configs == null ? Map.of() : configs);
    }

    @Override
    public synchronized void createTopics(int partitions, String... names) {
        admin().createTopics(List.of(names), partitions, Map.of());
    }

    private TopicAdmin admin() {
        if (topicAdmin == null) topicAdmin = new TopicAdmin(bootstrap);
        return topicAdmin;
    }

    @Override
    public synchronized void close() {
        if (topicAdmin != null) topicAdmin.close();
        topicAdmin = null;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
