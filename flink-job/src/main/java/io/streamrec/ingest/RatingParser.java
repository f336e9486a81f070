package io.streamrec.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.RatingEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * Turns the bytes of one ratings-topic record into a {@link RatingEvent}, or into a {@link DeadLetter} with the
 * original bytes and the precise reason. It never throws: bad input must not restart the job.
 * Streaming JSON (no tree) because this runs once per event on the source thread.
 */
public final class RatingParser {
    /** Records above this size are rejected before parsing. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Default of {@code dlq.max.payload.bytes}: the original bytes a dead letter keeps (1 MiB). */
    public static final int DEFAULT_DLQ_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** Room for a dead letter's JSON fields besides the base64 payload (reason, topic, offsets...). */
    private static final int DEAD_LETTER_ENVELOPE_BYTES = 16 * 1024;
    /** Earliest accepted event time (MovieLens starts in 1995). */
    public static final long MIN_TIMESTAMP_MS =
            Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
    /** Accepted clock skew into the future. */
    public static final long MAX_FUTURE_SKEW_MS = 24L * 3600 * 1000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxStringLength(MAX_PAYLOAD_BYTES)
                    .build())
            .build();

    private RatingParser() {}

    /** Parses and validates, keeping up to {@link #DEFAULT_DLQ_MAX_PAYLOAD_BYTES} original bytes in a dead letter. */
    public static RatingRecord parse(byte[] value, String topic, Integer partition, Long offset) {
        return parse(value, topic, partition, offset, DEFAULT_DLQ_MAX_PAYLOAD_BYTES);
    }

    /**
     * Parses and validates; {@code partition}/{@code offset} may be null outside Kafka. A valid record keeps its bytes
     * and coordinates (a later stage may still dead-letter it, e.g. as a duplicate); a dead letter keeps at most
     * {@code maxDeadLetterPayload} of the original bytes.
     */
    public static RatingRecord parse(
            byte[] value, String topic, Integer partition, Long offset, int maxDeadLetterPayload) {
        String reason;
        if (value == null) {
            reason = "null value (tombstone)";
        } else if (value.length > MAX_PAYLOAD_BYTES) {
            reason = "payload too large: " + value.length + " bytes > " + MAX_PAYLOAD_BYTES;
        } else {
            try {
                return RatingRecord.valid(read(value), value, topic, partition, offset);
            } catch (InvalidRating e) {
                reason = e.getMessage();
            } catch (IOException | RuntimeException e) {
                reason = "not valid JSON: " + firstLine(e.getMessage());
            }
        }
        return RatingRecord.dead(deadLetter(value, reason, topic, partition, offset, maxDeadLetterPayload));
    }

    private static RatingEvent read(byte[] value) throws IOException, InvalidRating {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new InvalidRating("not a JSON object");
            long userId = -1, itemId = -1, timestamp = Long.MIN_VALUE;
            double rating = Double.NaN;
            int seen = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                switch (name) {
                    case "userId" -> {
                        bit = 1;
                        userId = integral(p, v, name);
                    }
                    case "itemId" -> {
                        bit = 2;
                        itemId = integral(p, v, name);
                    }
                    case "rating" -> {
                        bit = 4;
                        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT)
                            throw wrongType(name, v, "a number");
                        rating = p.getDoubleValue();
                    }
                    case "timestamp" -> {
                        bit = 8;
                        timestamp = integral(p, v, name);
                    }
                    default -> throw new InvalidRating("unknown field '" + name + "'");
                }
                if ((seen & bit) != 0) throw new InvalidRating("duplicate field '" + name + "'");
                seen |= bit;
            }
            if (t != JsonToken.END_OBJECT) throw new InvalidRating("malformed object");
            if (p.nextToken() != null) throw new InvalidRating("trailing content after the object");
            if (seen != 15) throw new InvalidRating("missing field(s): " + missing(seen));
            if (userId < 1 || userId > Integer.MAX_VALUE) throw new InvalidRating("userId out of range: " + userId);
            if (itemId < 1 || itemId > Integer.MAX_VALUE) throw new InvalidRating("itemId out of range: " + itemId);
            if (!Double.isFinite(rating) || rating < 0.5 || rating > 5.0)
                throw new InvalidRating("rating out of range [0.5, 5]: " + rating);
            if (timestamp < MIN_TIMESTAMP_MS) throw new InvalidRating("timestamp too far in the past: " + timestamp);
            if (timestamp > System.currentTimeMillis() + MAX_FUTURE_SKEW_MS)
                throw new InvalidRating("timestamp in the future: " + timestamp);
            return new RatingEvent((int) userId, (int) itemId, (float) rating, timestamp);
        }
    }

    private static long integral(JsonParser p, JsonToken v, String name) throws IOException, InvalidRating {
        if (v != JsonToken.VALUE_NUMBER_INT) throw wrongType(name, v, "an integer");
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw new InvalidRating(name + " out of range");
        return p.getLongValue();
    }

    private static InvalidRating wrongType(String name, JsonToken v, String expected) {
        return new InvalidRating("field '" + name + "' must be " + expected + ", got "
                + (v == null ? "nothing" : v.asString() == null ? v.name() : v.asString()));
    }

    private static String missing(int seen) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"userId", "itemId", "rating", "timestamp"};
        for (int i = 0; i < 4; i++)
            if ((seen & (1 << i)) == 0) sb.append(sb.length() == 0 ? "" : ", ").append(names[i]);
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * A dead letter keeping the first {@code maxPayload} original bytes: a longer record is kept truncated
     * ({@code truncated = true}, {@code originalSize} = its full length) so that the dead letter always fits the DLQ
     * producer's {@code max.request.size} (see {@link #deadLetterRecordBytes}) instead of failing the sink.
     */
    public static DeadLetter deadLetter(
            byte[] value, String reason, String topic, Integer partition, Long offset, int maxPayload) {
        DeadLetter d = new DeadLetter();
        d.reason = reason;
        int kept = value == null ? 0 : Math.min(value.length, maxPayload);
        d.payloadBase64 = value == null
                ? ""
                : Base64.getEncoder()
                        .encodeToString(kept == value.length ? value : java.util.Arrays.copyOf(value, kept));
        d.truncated = value != null && kept < value.length;
        d.originalSize = value == null ? 0 : value.length;
        d.sourceTopic = topic;
        d.partition = partition;
        d.offset = offset;
        d.detectedAt = System.currentTimeMillis();
        return d;
    }

    /** The largest serialized dead letter carrying {@code maxPayload} original bytes (base64 plus the JSON envelope). */
    public static int deadLetterRecordBytes(int maxPayload) {
        long base64 = 4L * ((maxPayload + 2L) / 3);
        return (int) Math.min(Integer.MAX_VALUE, base64 + DEAD_LETTER_ENVELOPE_BYTES);
    }

    /** A validation failure; its message is the dead letter's reason. */
    private static final class InvalidRating extends Exception {
        InvalidRating(String message) {
            super(message, null, false, false);
        }
    }
}
