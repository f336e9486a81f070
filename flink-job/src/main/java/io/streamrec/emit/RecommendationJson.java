package io.streamrec.emit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON of a {@link Recommendation}, byte for byte what {@link Json#write} produces (same factory, fields in the
 * same order, {@code title}/{@code genres} left out when null), written with the streaming generator instead of
 * bean introspection: the profile showed the data-bind path at ~7% of the job's samples, one slate per event.
 * {@code RecommendationJsonTest} keeps the two identical, so a field added to the schema classes fails it.
 */
public final class RecommendationJson {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private RecommendationJson() {}

    public static byte[] write(Recommendation r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256 + 128 * (r.items == null ? 0 : r.items.size()))) {
            try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("requestId", r.requestId);
                g.writeNumberField("userId", r.userId);
                g.writeFieldName("items");
                if (r.items == null) {
                    g.writeNull();
                } else {
                    g.writeStartArray();
                    for (RecommendedItem item : r.items) writeItem(g, item);
                    g.writeEndArray();
                }
                g.writeStringField("policy", r.policy);
                g.writeNumberField("modelVersion", r.modelVersion);
                g.writeNumberField("eventTime", r.eventTime);
                g.writeNumberField("emitTime", r.emitTime);
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeItem(JsonGenerator g, RecommendedItem item) throws IOException {
        if (item == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("itemId", item.itemId);
        g.writeNumberField("score", item.score);
        if (item.title != null) g.writeStringField("title", item.title);
        List<String> genres = item.genres;
        if (genres != null) {
            g.writeFieldName("genres");
            g.writeStartArray();
            for (String genre : genres) g.writeString(genre);
            g.writeEndArray();
        }
        g.writeBooleanField("explored", item.explored);
        g.writeEndObject();
    }
}
