package io.streamrec.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code float[]} in JSON as one base64 string of its little-endian IEEE-754 float32 bytes (the layout of
 * {@code numpy.frombuffer(base64.b64decode(s), "<f4")}), exact and about five characters per value. Bulk vectors
 * (actor weights: hundreds of thousands of floats per publication) were written and parsed as decimal numbers, and
 * that formatting and parsing was a tenth of the job's Java profile. Reading also accepts the plain array of
 * numbers, so documents written before (e.g. an {@code actor.weights.file}) still load.
 */
public final class Float32Base64 {
    private Float32Base64() {}

    public static String encode(float[] values) {
        return java.util.Base64.getEncoder().encodeToString(toBytes(values));
    }

    private static byte[] toBytes(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** @throws IllegalArgumentException when the text is not base64 or not a whole number of float32 values */
    public static float[] decode(String base64) {
        return fromBytes(java.util.Base64.getDecoder().decode(base64));
    }

    private static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "base64 float32 array has " + bytes.length + " bytes, not a multiple of " + Float.BYTES);
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** Writes a {@code float[]} as its base64 string. */
    public static final class Serializer extends JsonSerializer<float[]> {
        @Override
        public void serialize(float[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeBinary(toBytes(value));
        }
    }

    /** Reads a base64 string (as written by {@link Serializer}) or a JSON array of numbers. */
    public static final class Deserializer extends JsonDeserializer<float[]> {
        @Override
        public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return fromBytes(p.getBinaryValue());
                } catch (IllegalArgumentException e) {
                    return (float[]) ctxt.handleWeirdStringValue(float[].class, p.getText(), e.getMessage());
                }
            }
            return ctxt.readValue(p, float[].class);
        }
    }
}
