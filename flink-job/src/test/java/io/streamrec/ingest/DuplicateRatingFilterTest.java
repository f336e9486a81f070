package io.streamrec.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DuplicateRatingFilterTest {
    private static KeyedOneInputStreamOperatorTestHarness<Integer, RatingRecord, RatingEvent> harness(int maxPayload)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DuplicateRatingFilter(maxPayload, 0)), r -> r.event.userId, Types.INT);
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<Integer, RatingRecord, RatingEvent> h, String json, long offset)
            throws Exception {
        RatingRecord r = RatingParser.parse(json.getBytes(StandardCharsets.UTF_8), "ratings", 1, offset);
        assertThat(r.isValid()).isTrue();
        h.processElement(new StreamRecord<>(r, r.event.timestamp));
    }

    private static List<DeadLetter> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<Integer, RatingRecord, RatingEvent> h) {
        var q = h.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void exactReplaysAreDeadLetteredWithTheirBytesWhileReRatingsAndOtherUsersPass() throws Exception {
        var h = harness(RatingParser.DEFAULT_DLQ_MAX_PAYLOAD_BYTES);
        String first = "{\"userId\":7,\"itemId\":3,\"rating\":4.0,\"timestamp\":946684800000}";
        // the same rating, written differently (field order, 4 vs 4.0): the same user, item and timestamp
        String replay = "{\"itemId\":3,\"userId\":7,\"timestamp\":946684800000,\"rating\":4}";
        send(h, first, 10);
        send(h, replay, 11);
        send(h, "{\"userId\":7,\"itemId\":3,\"rating\":2.0,\"timestamp\":946684900000}", 12); // re-rating: valid
        send(h, "{\"userId\":8,\"itemId\":3,\"rating\":4.0,\"timestamp\":946684800000}", 13); // other user: valid
        send(h, "{\"userId\":7,\"itemId\":3,\"rating\":2.0,\"timestamp\":946684900000}", 14); // replay of the re-rating

        assertThat(h.extractOutputValues())
                .containsExactly(
                        new RatingEvent(7, 3, 4f, 946684800000L),
                        new RatingEvent(7, 3, 2f, 946684900000L),
                        new RatingEvent(8, 3, 4f, 946684800000L));
        List<DeadLetter> dead = deadLetters(h);
        assertThat(dead).extracting(d -> d.offset).containsExactly(11L, 14L);
        assertThat(dead.get(0).reason).startsWith("duplicate");
        assertThat(new String(Base64.getDecoder().decode(dead.get(0).payloadBase64), StandardCharsets.UTF_8))
                .isEqualTo(replay);
        assertThat(dead.get(0).partition).isEqualTo(1);
        assertThat(dead.get(0).truncated).isFalse();
    }

    @Test
    void theRememberedRatingsSurviveACheckpointRestore() throws Exception {
        var h = harness(RatingParser.DEFAULT_DLQ_MAX_PAYLOAD_BYTES);
        String rating = "{\"userId\":5,\"itemId\":9,\"rating\":5.0,\"timestamp\":946684800000}";
        send(h, rating, 1);
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();

        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DuplicateRatingFilter(RatingParser.DEFAULT_DLQ_MAX_PAYLOAD_BYTES, 0)),
                (RatingRecord r) -> r.event.userId,
                Types.INT);
        restored.initializeState(snapshot);
        restored.open();
        send(restored, rating, 2);
        assertThat(restored.extractOutputValues()).isEmpty();
        assertThat(deadLetters(restored)).singleElement().satisfies(d -> assertThat(d.offset)
                .isEqualTo(2L));
    }

    @Test
    void aDeadLetterKeepsAtMostTheConfiguredBytesAndTheOriginalLength() {
        byte[] big = "q".repeat(5000).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = RatingParser.deadLetter(big, "payload too large", "ratings", 0, 3L, 1024);
        assertThat(d.truncated).isTrue();
        assertThat(d.originalSize).isEqualTo(5000);
        assertThat(Base64.getDecoder().decode(d.payloadBase64)).hasSize(1024).containsOnly((byte) 'q');
        assertThat(Json.write(d).length).isLessThanOrEqualTo(RatingParser.deadLetterRecordBytes(1024));
        // a record exactly at the limit is kept whole
        DeadLetter whole = RatingParser.deadLetter(new byte[1024], "x", "ratings", 0, 4L, 1024);
        assertThat(whole.truncated).isFalse();
        assertThat(Base64.getDecoder().decode(whole.payloadBase64)).hasSize(1024);
    }
}
