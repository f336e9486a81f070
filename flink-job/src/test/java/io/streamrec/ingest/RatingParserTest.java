package io.streamrec.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.Json;
import io.streamrec.schema.RatingEvent;
import io.streamrec.schema.TopicSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatingParserTest {
    private static final long TS = 881250949000L; // 1997-12-04, an ml-100k timestamp

    private static RatingRecord parse(String json) {
        return RatingParser.parse(json.getBytes(StandardCharsets.UTF_8), "ratings", 3, 42L);
    }

    @Test
    void parsesAValidEventAndItMatchesTheSchema() {
        byte[] bytes = Json.write(new RatingEvent(196, 242, 3.5f, TS));
        assertThat(TopicSchemas.violations("ratings", bytes)).isEmpty();
        RatingRecord r = RatingParser.parse(bytes, "ratings", 0, 1L);
        assertThat(r.isValid()).isTrue();
        assertThat(r.event).isEqualTo(new RatingEvent(196, 242, 3.5f, TS));
    }

    @Test
    void fieldOrderDoesNotMatterAndIntegerRatingsAreAccepted() {
        RatingRecord r = parse("{\"timestamp\":" + TS + ",\"rating\":4,\"itemId\":2,\"userId\":1}");
        assertThat(r.event).isEqualTo(new RatingEvent(1, 2, 4f, TS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|not valid JSON",
                "[1,2,3]|not a JSON object",
                "{\"userId\":1,\"itemId\":2,\"rating\":4}|missing field(s): timestamp",
                "{\"userId\":\"1\",\"itemId\":2,\"rating\":4,\"timestamp\":881250949000}|field 'userId' must be an integer",
                "{\"userId\":1.5,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000}|field 'userId' must be an integer",
                "{\"userId\":1,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000,\"extra\":1}|unknown field 'extra'",
                "{\"userId\":0,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000}|userId out of range: 0",
                "{\"userId\":1,\"itemId\":-7,\"rating\":4,\"timestamp\":881250949000}|itemId out of range: -7",
                "{\"userId\":1,\"itemId\":2,\"rating\":5.5,\"timestamp\":881250949000}|rating out of range",
                "{\"userId\":1,\"itemId\":2,\"rating\":0,\"timestamp\":881250949000}|rating out of range",
                "{\"userId\":1,\"itemId\":2,\"rating\":\"NaN\",\"timestamp\":881250949000}|field 'rating' must be a number",
                "{\"userId\":1,\"itemId\":2,\"rating\":NaN,\"timestamp\":881250949000}|not valid JSON",
                "{\"userId\":1,\"itemId\":2,\"rating\":4,\"timestamp\":5}|timestamp too far in the past",
                "{\"userId\":1,\"itemId\":2,\"rating\":4,\"timestamp\":99999999999999}|timestamp in the future",
                "{\"userId\":1,\"userId\":1,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000}|duplicate field 'userId'",
                "{\"userId\":99999999999,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000}|userId out of range",
                "{\"userId\":1,\"itemId\":2,\"rating\":4,\"timestamp\":881250949000} {}|trailing content",
            })
    void rejectsBadRecordsWithAReasonAndTheOriginalBytes(String json, String reason) {
        RatingRecord r = parse(json);
        assertThat(r.isValid()).isFalse();
        assertThat(r.deadLetter.reason).contains(reason);
        assertThat(Base64.getDecoder().decode(r.deadLetter.payloadBase64))
                .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.deadLetter.partition).isEqualTo(3);
        assertThat(r.deadLetter.offset).isEqualTo(42L);
        assertThat(TopicSchemas.violations("ratings-dlq", Json.write(r.deadLetter)))
                .isEmpty();
    }

    @Test
    void oversizedPayloadIsRejectedBeforeParsingButKeptWhole() {
        byte[] huge = new byte[1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        RatingRecord r = RatingParser.parse(huge, "ratings", 0, 0L);
        assertThat(r.deadLetter.reason).startsWith("payload too large: 1048576 bytes");
        assertThat(r.deadLetter.originalSize).isEqualTo(huge.length);
        assertThat(Base64.getDecoder().decode(r.deadLetter.payloadBase64)).isEqualTo(huge);
    }

    @Test
    void nullValueIsADeadLetterNotACrash() {
        RatingRecord r = RatingParser.parse(null, "ratings", 0, 0L);
        assertThat(r.deadLetter.reason).contains("null value");
    }
}
