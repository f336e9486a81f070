package io.streamrec.bench;

import io.streamrec.movielens.EventLog;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends the log's ratings at a steady rate until stopped (or the log ends), telling the watch each send time. */
final class SteadyProducer implements Runnable {
    private final String bootstrap;
    private final String topic;
    private final EventLog events;
    private final int rate;
    private final RecoveryWatch watch;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();

    SteadyProducer(String bootstrap, String topic, EventLog events, int rate, RecoveryWatch watch) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.events = events;
        this.rate = rate;
        this.watch = watch;
    }

    void stop() {
        running.set(false);
    }

    /** Ratings acknowledged by the broker. */
    long sent() {
        return sent.get();
    }

    @Override
    public void run() {
        long interval = 1_000_000_000L / rate;
        long begin = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> p = BenchClients.producer(bootstrap, false)) {
            for (int i = 0; i < events.size() && running.get(); i++) {
                long wait = begin + i * interval - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                RatingEvent r =
                        new RatingEvent(events.userId(i), events.itemId(i), events.rating(i), events.timestamp(i));
                String id = r.requestId();
                watch.sent(id, System.currentTimeMillis());
                p.send(
                        new ProducerRecord<>(
                                topic, Integer.toString(r.userId).getBytes(StandardCharsets.UTF_8), Json.write(r)),
                        (md, e) -> {
                            if (e == null) sent.incrementAndGet();
                        });
            }
            p.flush();
        }
    }
}
