package io.streamrec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The benchmark's own Kafka clients: a bulk or a low-latency producer, and a read_committed consumer. */
final class BenchClients {
    private BenchClients() {}

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, boolean bulk) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "1");
        p.put("enable.idempotence", "false");
        p.put("linger.ms", bulk ? "20" : "0");
        p.put("batch.size", bulk ? "262144" : "16384");
        p.put("compression.type", "lz4");
        return new KafkaProducer<>(p);
    }

    /** A read_committed consumer of the topic's partitions from the beginning. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic, int partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
        return consumer(bootstrap, tps);
    }

    /** A read_committed consumer of these partitions from the beginning. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, List<TopicPartition> tps) {
        Properties p = new Properties();
        p.put("max.partition.fetch.bytes", Integer.toString(64 << 20)); // whole actor-weights snapshots per fetch
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }
}
