package io.streamrec.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates messages against the schema file of their topic ({@code schemas/<topic>.schema.json} on the classpath;
 * {@code policy-slates} uses the recommendations schema).
 */
public final class TopicSchemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();
    /** Topics whose records have another topic's type: they share its schema file rather than a copy of it. */
    private static final Map<String, String> SHARED_SCHEMA = Map.of(Topics.POLICY_SLATES, Topics.RECOMMENDATIONS);

    private TopicSchemas() {}

    public static JsonSchema schemaOf(String topic) {
        return CACHE.computeIfAbsent(topic, t -> {
            String resource = "/schemas/" + SHARED_SCHEMA.getOrDefault(t, t) + ".schema.json";
            try (InputStream in = TopicSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no schema file " + resource + " for topic '" + t + "'");
                }
                return FACTORY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The violations of {@code json} against the topic's schema; empty when valid or unparseable JSON is reported as one. */
    public static List<String> violations(String topic, byte[] json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        Set<ValidationMessage> messages = schemaOf(topic).validate(node);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
