package io.streamrec.testutil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from the beginning with {@code read_committed}, as a downstream consumer of streamrec would. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    /** A read_committed reader: what a consumer of exactly-once output sees. */
    public TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, true);
    }

    /** {@code committed} false: read_uncommitted, which also sees records of open and aborted transactions. */
    public TopicReader(String bootstrapServers, String topic, boolean committed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /**
     * Polls until {@code done} holds for the records read so far, or until nothing new arrived for {@code quiet}
     * (after at least one record) or {@code timeout} passed. Returns every record read, in per-partition order.
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastNew = System.nanoTime();
        while (!done.test(records) && System.nanoTime() < deadline) {
            int before = records.size();
            consumer.poll(Duration.ofMillis(250)).forEach(records::add);
            if (records.size() > before) lastNew = System.nanoTime();
            else if (!records.isEmpty() && System.nanoTime() - lastNew > quiet.toNanos()) break;
        }
        return List.copyOf(records);
    }

    /** Reads whatever else arrives within {@code quiet} (to catch duplicates after the expected count). */
    public List<ConsumerRecord<byte[], byte[]>> drain(Duration quiet) {
        long lastNew = System.nanoTime();
        while (System.nanoTime() - lastNew < quiet.toNanos()) {
            int before = records.size();
            consumer.poll(Duration.ofMillis(250)).forEach(records::add);
            if (records.size() > before) lastNew = System.nanoTime();
        }
        return List.copyOf(records);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
