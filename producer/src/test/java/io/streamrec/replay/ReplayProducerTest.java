package io.streamrec.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.movielens.EventLog;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.TopicSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ReplayProducerTest {
    private static final long T0 = 946_684_800_000L; // 2000-01-01T00:00:00Z

    /** A clock that only moves when the replay sleeps (or by a fixed cost per reading), recording every sleep. */
    static final class FakeTime {
        long now = 1_000_000_000L;
        long perRead;
        final List<Long> sleeps = new ArrayList<>();

        long read() {
            now += perRead;
            return now;
        }

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    private static MockProducer<String, byte[]> mock() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static EventLog log(int n, long stepMillis) {
        EventLog log = new EventLog();
        for (int i = 0; i < n; i++) log.add(100 + i % 3, 1 + i, 0.5f + (i % 10) / 2f, T0 + i * stepMillis);
        return log;
    }

    private static ReplayProducer producer(
            MockProducer<String, byte[]> mock, ReplayOptions o, FakeTime time, PrintStream out) {
        return new ReplayProducer(mock, o, out, time::read, time::sleep);
    }

    @Test
    void sendsEveryEventKeyedByUserWithSchemaValidJson() {
        MockProducer<String, byte[]> mock = mock();
        EventLog events = log(25, 1000);
        ReplaySummary s = producer(mock, ReplayOptions.defaults().withTopic("ratings-test"), new FakeTime(), null)
                .replay(events, 3);
        assertThat(s.sent()).isEqualTo(25);
        assertThat(s.acknowledged()).isEqualTo(25);
        assertThat(s.malformed()).isEqualTo(3);
        assertThat(s.complete()).isTrue();
        assertThat(mock.flushed()).isTrue();
        List<ProducerRecord<String, byte[]>> history = mock.history();
        assertThat(history).hasSize(25);
        for (int i = 0; i < 25; i++) {
            ProducerRecord<String, byte[]> r = history.get(i);
            assertThat(r.topic()).isEqualTo("ratings-test");
            assertThat(r.key()).isEqualTo(Integer.toString(100 + i % 3));
            assertThat(TopicSchemas.violations("ratings", r.value())).isEmpty();
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"timestamp\":" + (T0 + i * 1000L));
            assertThat(r.timestamp())
                    .as("broker time, not 2000's, so retention does not drop the replay")
                    .isNull();
        }
    }

    @Test
    void startTimeSkipAndLimitSelectTheRightSlice() throws Exception {
        MockProducer<String, byte[]> mock = mock();
        EventLog events = log(100, 1000);
        ReplayOptions o = ReplayOptions.defaults()
                .withStartTimeMillis(T0 + 10_500)
                .withSkip(5)
                .withLimit(7);
        ReplaySummary s = producer(mock, o, new FakeTime(), null).replay(events, 0);
        assertThat(s.selected()).isEqualTo(7);
        List<Long> stamps = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : mock.history())
            stamps.add(Json.read(r.value(), RatingEvent.class).timestamp);
        // First event at or after +10.5 s is #11; skipping 5 starts at #16; 7 events: #16..#22.
        assertThat(stamps)
                .containsExactly(
                        T0 + 16_000, T0 + 17_000, T0 + 18_000, T0 + 19_000, T0 + 20_000, T0 + 21_000, T0 + 22_000);
    }

    @Test
    void startBeyondTheEndSendsNothing() {
        MockProducer<String, byte[]> mock = mock();
        ReplaySummary s = producer(mock, ReplayOptions.defaults().withSkip(1000), new FakeTime(), null)
                .replay(log(10, 1), 0);
        assertThat(s.selected()).isZero();
        assertThat(mock.history()).isEmpty();
        assertThat(s.complete()).isTrue();
    }

    @Test
    void speedFollowsEventTimeDeltas() {
        // Events 0 s, 10 s, 10 s, 40 s apart in event time at 10x: due at 0, 1, 1, 4 s of wall time.
        EventLog events = new EventLog();
        for (long t : new long[] {0, 10_000, 10_000, 40_000}) events.add(1, (int) (t / 1000) + 1, 3f, T0 + t);
        FakeTime time = new FakeTime();
        long start = time.now;
        ReplaySummary s = producer(mock(), ReplayOptions.defaults().withSpeed(10), time, null)
                .replay(events, 0);
        assertThat(s.sent()).isEqualTo(4);
        assertThat(time.now - start).isEqualTo(4_000_000_000L);
        assertThat(time.sleeps)
                .allMatch(n -> n <= 200_000_000L)
                .as("long waits are sliced")
                .hasSize(20);
    }

    @Test
    void maxRateCapsEventsPerSecond() {
        FakeTime time = new FakeTime();
        long start = time.now;
        ReplaySummary s = producer(mock(), ReplayOptions.defaults().withMaxRate(100), time, null)
                .replay(log(501, 0), 0);
        assertThat(s.sent()).isEqualTo(501);
        // 500 intervals at 100/s = 5 s; sleeps of under 1 ms are skipped, so it may end up to 1 ms early.
        assertThat(time.now - start).isBetween(4_999_000_000L, 5_000_000_000L);
    }

    @Test
    void withBothTheSlowerConstraintWins() {
        FakeTime time = new FakeTime();
        long start = time.now;
        // Event time says 1 event/ms at speed 1 (1000/s); the cap says 10/s: the cap wins.
        producer(mock(), ReplayOptions.defaults().withSpeed(1).withMaxRate(10), time, null)
                .replay(log(11, 1), 0);
        assertThat(time.now - start).isBetween(999_000_000L, 1_000_000_000L);
    }

    @Test
    void unpacedNeverSleeps() {
        FakeTime time = new FakeTime();
        producer(mock(), ReplayOptions.defaults(), time, null).replay(log(1000, 86_400_000L), 0);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void progressLinesAboutOnceASecondWithRateClockAndPercent() {
        FakeTime time = new FakeTime();
        time.perRead = 1_000_000; // one clock reading per event, 1 ms each: 1000 events/s, 2 s in all
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        producer(mock(), ReplayOptions.defaults(), time, out).replay(log(2000, 60_000), 0);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines)
                .containsExactly(
                        "progress: 1,000 / 2,000 sent (50.0%), 1,000 events/s, replay clock 2000-01-01T16:39:00Z",
                        "progress: 2,000 / 2,000 sent (100.0%), 1,000 events/s, replay clock 2000-01-02T09:19:00Z");
    }

    @Test
    void anAsynchronousSendFailureIsReportedAndStopsTheReplay() {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
                    private int count;

                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<String, byte[]> record, Callback callback) {
                        if (++count == 4) {
                            callback.onCompletion(null, new TimeoutException("Expiring 1 record(s) for ratings-0"));
                            return null;
                        }
                        return super.send(record, callback);
                    }
                };
        ReplaySummary s = producer(failing, ReplayOptions.defaults(), new FakeTime(), null)
                .replay(log(100, 1), 0);
        assertThat(s.firstError()).contains("TimeoutException").contains("Expiring 1 record(s)");
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.sent()).as("stops after the failure is seen").isEqualTo(4);
        assertThat(s.acknowledged()).isEqualTo(3);
        assertThat(s.complete()).isFalse();
    }

    @Test
    void aSynchronousSendExceptionIsReportedNotThrown() {
        MockProducer<String, byte[]> mock = mock();
        mock.sendException = new TimeoutException("Topic ratings not present in metadata after 60000 ms.");
        ReplaySummary s =
                producer(mock, ReplayOptions.defaults(), new FakeTime(), null).replay(log(10, 1), 0);
        assertThat(s.firstError()).contains("not present in metadata");
        assertThat(s.sent()).isZero();
        assertThat(s.complete()).isFalse();
    }

    @Test
    void interruptStopsCleanlyAndKeepsTheFlag() {
        MockProducer<String, byte[]> mock = mock();
        FakeTime time = new FakeTime();
        ReplayProducer p = new ReplayProducer(mock, ReplayOptions.defaults().withSpeed(1), null, time::read, nanos -> {
            time.sleep(nanos);
            if (time.sleeps.size() == 3) throw new InterruptedException();
        });
        ReplaySummary s = p.replay(log(10, 60_000), 0);
        try {
            assertThat(s.interrupted()).isTrue();
            assertThat(s.sent()).isEqualTo(1);
            assertThat(mock.flushed()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        p.close();
        assertThat(mock.closed()).isTrue();
    }
}
