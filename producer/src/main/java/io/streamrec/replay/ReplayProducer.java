package io.streamrec.replay;

import io.streamrec.movielens.EventLog;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Sends time-sorted rating events to Kafka (key = user id as decimal string, value = the event's JSON), paced by event
 * time and/or a rate cap, reporting progress and every send failure.
 *
 * <p>Keying by user keeps each user's events in one partition, so consumers see a user's ratings in time order; the
 * idempotent producer (see {@link ProducerSettings}) keeps retries from duplicating or reordering them.
 */
public final class ReplayProducer implements AutoCloseable {
    /** Blocks for a while; swapped out in tests so pacing can be checked without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Long waits (e.g. {@code --speed 1} over a day-long gap) are cut into slices so progress lines keep coming. */
    private static final long MAX_SLEEP_NANOS = 200_000_000L;
    /** Waits shorter than this are not worth a sleep: the next event may run a little early instead. */
    private static final long MIN_SLEEP_NANOS = 1_000_000L;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final ReplayOptions options;
    private final PrintStream progressOut;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    /** A producer on a new {@link KafkaProducer} built from {@code kafkaProperties} (see {@link ProducerSettings}). */
    public static ReplayProducer create(Properties kafkaProperties, ReplayOptions options, PrintStream progressOut) {
        return new ReplayProducer(new KafkaProducer<>(kafkaProperties), options, progressOut);
    }

    /** Replays through {@code producer}, which this object then owns and closes. */
    public ReplayProducer(Producer<String, byte[]> producer, ReplayOptions options, PrintStream progressOut) {
        this(
                producer,
                options,
                progressOut,
                System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    ReplayProducer(
            Producer<String, byte[]> producer,
            ReplayOptions options,
            PrintStream progressOut,
            LongSupplier nanoClock,
            Sleeper sleeper) {
        this.producer = producer;
        this.options = options;
        this.progressOut = progressOut;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /**
     * Sends the events of {@code sorted} that the options select, then flushes. Returns when every sent event is
     * acknowledged or failed, after the first failure (no further events are sent), or on interrupt.
     *
     * @param sorted events sorted by timestamp ({@link EventLog#sortByTime()})
     * @param malformed malformed source lines, only carried into the summary
     */
    public ReplaySummary replay(EventLog sorted, long malformed) {
        long[] range = options.range(sorted);
        int from = (int) range[0];
        int to = (int) range[1];
        long selected = to - from;
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Pacer pacer = new Pacer(options.speed(), options.maxRate());
        long start = nanoClock.getAsLong();
        ProgressReporter progress =
                new ProgressReporter(progressOut, options.progressIntervalMillis(), selected, start);
        long sent = 0;
        boolean interrupted = false;
        long clock = Long.MIN_VALUE;
        try {
            for (int i = from; i < to && firstError.get() == null; i++) {
                long ts = sorted.timestamp(i);
                if (pacer.paced() && !waitUntil(start + pacer.dueNanos(sent, ts), progress, sent, clock)) {
                    interrupted = true;
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true; // flag cleared on purpose: flush() below must not throw on it
                    break;
                }
                RatingEvent e = sorted.get(i);
                // No record timestamp (the broker's wall clock is used): 1998 timestamps would make time-based
                // retention delete the replayed segments as soon as they roll. Event time travels in the JSON.
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(options.topic(), Integer.toString(e.userId), Json.write(e));
                producer.send(record, (metadata, exception) -> {
                    if (exception == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, exception);
                    }
                });
                sent++;
                clock = ts;
                progress.maybeReport(nanoClock.getAsLong(), sent, clock);
            }
        } catch (InterruptException e) {
            Thread.interrupted();
            interrupted = true;
        } catch (RuntimeException e) {
            // Synchronous send failures: serialization, a metadata timeout (no broker), a closed or fenced producer.
            firstError.compareAndSet(null, e);
        }
        try {
            producer.flush();
        } catch (RuntimeException e) {
            firstError.compareAndSet(null, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // keep the flag for the caller
        }
        Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - start);
        Exception err = firstError.get();
        return new ReplaySummary(
                selected,
                sent,
                acked.get(),
                failed.get(),
                malformed,
                elapsed,
                interrupted,
                err == null ? null : describe(err));
    }

    /** Sleeps until {@code dueNanos} on the clock, printing progress meanwhile; false when interrupted. */
    private boolean waitUntil(long dueNanos, ProgressReporter progress, long sent, long clock) {
        while (true) {
            long now = nanoClock.getAsLong();
            long wait = dueNanos - now;
            if (wait < MIN_SLEEP_NANOS) {
                return true;
            }
            try {
                sleeper.sleepNanos(Math.min(wait, MAX_SLEEP_NANOS));
            } catch (InterruptedException e) {
                return false;
            }
            progress.maybeReport(nanoClock.getAsLong(), sent, clock);
        }
    }

    private static String describe(Throwable t) {
        StringBuilder sb =
                new StringBuilder(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    /** Closes the producer, waiting up to 30 s for in-flight sends, also after an interrupted replay. */
    @Override
    public void close() {
        // KafkaProducer.close throws InterruptException on an interrupted thread; the replay keeps that flag set.
        boolean interrupted = Thread.interrupted();
        try {
            producer.close(CLOSE_TIMEOUT);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
