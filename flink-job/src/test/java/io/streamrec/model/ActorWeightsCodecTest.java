package io.streamrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.catalog.ItemCatalog;
import io.streamrec.schema.Float32Base64;
import io.streamrec.schema.Json;
import io.streamrec.schema.TopicSchemas;
import io.streamrec.serving.ActorSettings;
import io.streamrec.serving.ActorTestData;
import io.streamrec.testutil.TestSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActorWeightsCodecTest {
    private static final ActorSettings SMALL = TestSettings.actor()
            .embeddingDim(3)
            .hiddenDim(5)
            .windowSize(4)
            .seed(7)
            .build();
    private static final ItemCatalog CATALOG = ItemCatalog.range(6);

    /** Weights with awkward floats everywhere: subnormals, extremes, negative zero, learned users. */
    private static ActorWeights awkward() {
        ActorWeights seeded = ActorWeights.seeded(SMALL, CATALOG);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] special = {
            -0.0f,
            Float.MIN_VALUE,
            -Float.MIN_NORMAL,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            1e-40f,
            0.1f,
            1f / 3,
            (float) Math.PI,
            16777217f
        };
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name : ActorWeights.TENSOR_NAMES) {
            float[] t = seeded.tensor(name);
            for (int i = 0; i < t.length; i++) {
                t[i] = rnd.nextInt(3) == 0
                        ? special[rnd.nextInt(special.length)]
                        : Float.intBitsToFloat(rnd.nextInt(0x7f000000));
            }
            tensors.put(name, t);
        }
        Map<Integer, float[]> users = new HashMap<>();
        users.put(12, new float[] {0.25f, -0.0f, 1e-30f});
        users.put(3, new float[] {Float.MAX_VALUE, 2f, -3f});
        return new ActorWeights(
                17, seeded.seed(), 3, 5, 4, tensors, ActorWeightsTest.ids(CATALOG), seeded.itemMatrix(), users);
    }

    @Test
    void fullSnapshotRoundTripsBitExactlyAndMatchesTheSchema() {
        ActorWeights w = awkward();
        byte[] json = ActorWeightsCodec.encode(w, 1_700_000_000_000L);
        assertThat(TopicSchemas.violations("actor-weights", json)).isEmpty();
        ActorWeights back = ActorWeightsCodec.decodeFull(json);
        assertThat(back).isEqualTo(w);
        assertThat(back.userRow(99)).containsExactly(w.userRow(99)); // cold start survives via the seed
        assertThat(ActorWeightsCodec.isFull(json)).isTrue();
        // and re-encoding is byte-identical (stable field and row order)
        assertThat(ActorWeightsCodec.encode(back, 1_700_000_000_000L)).isEqualTo(json);
    }

    @Test
    void seededDefaultsRoundTrip() {
        ActorWeights w = ActorWeights.seeded(TestSettings.actor().build(), ItemCatalog.range(50));
        assertThat(ActorWeightsCodec.decodeFull(ActorWeightsCodec.encode(w))).isEqualTo(w);
    }

    @Test
    void checksumIsHexCrc32cAndIgnoresPublishedAt() throws IOException {
        ActorWeights w = awkward();
        JsonNode a = Json.MAPPER.readTree(ActorWeightsCodec.encode(w, 1L));
        JsonNode b = Json.MAPPER.readTree(ActorWeightsCodec.encode(w, 2L));
        assertThat(a.get("checksum").asText())
                .matches("[0-9a-f]{8}")
                .isEqualTo(b.get("checksum").asText());
        assertThat(Json.MAPPER
                        .readTree(ActorWeightsCodec.encode(w.withVersion(18)))
                        .get("checksum")
                        .asText())
                .isNotEqualTo(a.get("checksum").asText());
    }

    @Test
    void tamperedValueFailsTheChecksum() throws IOException {
        ObjectNode node = tree(ActorWeightsCodec.encode(awkward()));
        ArrayNode values =
                (ArrayNode) node.get("tensors").get(ActorWeights.FC2_BIAS).get("values");
        values.set(2, values.get(2).floatValue() + 1f);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(node)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum mismatch");

        ObjectNode corruptSum = tree(ActorWeightsCodec.encode(awkward()));
        corruptSum.put("checksum", "deadbeef");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(corruptSum)))
                .hasMessageContaining("checksum mismatch");

        ObjectNode rowTampered = tree(ActorWeightsCodec.encode(awkward()));
        ((ArrayNode) rowTampered.get("userRows").get("12")).set(0, 0.5f);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(rowTampered)))
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void nonFiniteValuesAreRejected() throws IOException {
        ObjectNode nanString = tree(ActorWeightsCodec.encode(awkward()));
        ((ArrayNode) nanString.get("itemRows").get("4")).set(1, "NaN");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(nanString)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item row 4")
                .hasMessageContaining("non-finite");

        ObjectNode overflow = tree(ActorWeightsCodec.encode(awkward()));
        ((ArrayNode) overflow.get("tensors").get(ActorWeights.POOL).get("values")).set(0, new BigDecimal("1e39"));
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(overflow)))
                .hasMessageContaining("state.pool")
                .hasMessageContaining("non-finite");

        byte[] bareNaN = new String(
                        Json.write(tree(ActorWeightsCodec.encode(awkward()))), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"values\":\\[[^,\\]]+", "\"values\":[NaN")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(bareNaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid actor-weights JSON");
    }

    @Test
    void wrongShapesAreRejected() throws IOException {
        ObjectNode shape = tree(ActorWeightsCodec.encode(awkward()));
        ArrayNode dims =
                (ArrayNode) shape.get("tensors").get(ActorWeights.FC1_WEIGHT).get("shape");
        dims.removeAll();
        dims.add(9).add(5);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(shape)))
                .hasMessageContaining("mlp.fc1.weight")
                .hasMessageContaining("[9, 5]")
                .hasMessageContaining("[5, 9]");

        ObjectNode values = tree(ActorWeightsCodec.encode(awkward()));
        ((ArrayNode) values.get("tensors").get(ActorWeights.FC3_BIAS).get("values")).remove(0);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(values)))
                .hasMessageContaining("tensor 'mlp.fc3.bias' has 2 values, expected 3");

        ObjectNode row = tree(ActorWeightsCodec.encode(awkward()));
        ((ArrayNode) row.get("itemRows").get("2")).add(1f);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(row)))
                .hasMessageContaining("item row 2 has 4 values");

        ObjectNode missing = tree(ActorWeightsCodec.encode(awkward()));
        ((ObjectNode) missing.get("tensors")).remove(ActorWeights.FC2_WEIGHT);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(missing)))
                .hasMessageContaining("lacks tensor 'mlp.fc2.weight'");

        ObjectNode unknown = tree(ActorWeightsCodec.encode(awkward()));
        unknown.put("extra", 1);
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(unknown)))
                .hasMessageContaining("not valid actor-weights JSON");

        ObjectNode noVersion = tree(ActorWeightsCodec.encode(awkward()));
        noVersion.remove("version");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(noVersion)))
                .hasMessageContaining("'version'");
    }

    @Test
    void deltaRoundTripsAndApplies() {
        ActorWeights base = ActorWeights.seeded(SMALL, CATALOG).withVersion(4);
        ActorWeightsDelta delta = new ActorWeightsDelta(
                5,
                4,
                3,
                5,
                4,
                Map.of(ActorWeights.POOL, new float[] {1, 2, 3, 4}),
                Map.of(2, new float[] {0.5f, 0.5f, 0.5f}),
                Map.of(77, new float[] {-1f, 0f, 1f}));
        byte[] json = ActorWeightsCodec.encodeDelta(delta);
        assertThat(TopicSchemas.violations("actor-weights", json)).isEmpty();
        assertThat(ActorWeightsCodec.isFull(json)).isFalse();
        assertThat(ActorWeightsCodec.decodeDelta(json)).isEqualTo(delta);

        ActorWeights next = ActorWeightsCodec.applyTo(base, json);
        assertThat(next).isEqualTo(base.apply(delta));
        assertThat(next.userRow(77)).containsExactly(-1f, 0f, 1f);

        assertThatThrownBy(() -> ActorWeightsCodec.applyTo(base.withVersion(3), json))
                .hasMessageContaining("on top of v4");
        assertThatThrownBy(() -> ActorWeightsCodec.applyTo(null, json))
                .hasMessageContaining("before any full snapshot");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(json)).hasMessageContaining("not a full snapshot");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeDelta(ActorWeightsCodec.encode(base)))
                .hasMessageContaining("not a delta");
        // a full snapshot replaces whatever was there
        assertThat(ActorWeightsCodec.applyTo(next, ActorWeightsCodec.encode(base)))
                .isEqualTo(base);
    }

    @Test
    void filesRoundTripAndNameThemselvesInErrors(@TempDir Path dir) throws IOException {
        ActorWeights w = awkward();
        Path file = dir.resolve("actor.json");
        ActorWeightsCodec.writeFile(w, file);
        assertThat(ActorWeightsCodec.readFile(file)).isEqualTo(w);

        java.nio.file.Files.writeString(file, "{\"version\": 1}");
        assertThatThrownBy(() -> ActorWeightsCodec.readFile(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'full'");
    }

    /**
     * The document with every vector as a plain array of numbers (the form written before vectors became base64
     * float32), which the reader still accepts: the tests below edit single values in it.
     */
    private static ObjectNode tree(byte[] json) throws IOException {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(json);
        node.get("tensors").forEach(t -> ((ObjectNode) t).set("values", numbers(t.get("values"))));
        for (String rows : new String[] {"userRows", "itemRows"}) {
            ObjectNode r = (ObjectNode) node.get(rows);
            if (r == null) continue;
            for (var it = r.fields(); it.hasNext(); ) {
                var e = it.next();
                e.setValue(numbers(e.getValue()));
            }
        }
        return node;
    }

    private static ArrayNode numbers(JsonNode base64) {
        assertThat(base64.isTextual())
                .as("a vector is written as one base64 string")
                .isTrue();
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (float v : Float32Base64.decode(base64.asText())) a.add(v);
        return a;
    }

    @Test
    void vectorsAreBase64Float32AndArraysOfNumbersAreStillRead() throws IOException {
        ActorWeights w = awkward();
        byte[] json = ActorWeightsCodec.encode(w, 5L);
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(json);
        String pool = node.get("tensors").get(ActorWeights.POOL).get("values").asText();
        // little-endian float32, as numpy.frombuffer(..., "<f4") reads it
        byte[] raw = java.util.Base64.getDecoder().decode(pool);
        float first = java.nio.ByteBuffer.wrap(raw)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getFloat(0);
        assertThat(first).isEqualTo(w.tensor(ActorWeights.POOL)[0]);

        byte[] arrays = Json.write(tree(json));
        assertThat(arrays.length).isGreaterThan(json.length);
        assertThat(TopicSchemas.violations("actor-weights", arrays)).isEmpty();
        assertThat(ActorWeightsCodec.decodeFull(arrays)).isEqualTo(w); // same checksum: it covers values, not text

        ObjectNode ragged = (ObjectNode) Json.MAPPER.readTree(json);
        ((ObjectNode) ragged.get("itemRows"))
                .put("2", java.util.Base64.getEncoder().encodeToString(new byte[5]));
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(ragged)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a multiple of 4");

        ObjectNode notBase64 = (ObjectNode) Json.MAPPER.readTree(json);
        ((ObjectNode) notBase64.get("itemRows")).put("2", "**not base64**");
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(notBase64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid actor-weights JSON");

        ObjectNode nan = (ObjectNode) Json.MAPPER.readTree(json);
        ((ObjectNode) nan.get("itemRows")).put("4", Float32Base64.encode(new float[] {0f, Float.NaN, 1f}));
        assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(Json.write(nan)))
                .hasMessageContaining("item row 4")
                .hasMessageContaining("non-finite");
    }

    /** DRR-p/DRR-u weights name their variant; fc1's per-variant shape is checked against it. */
    @Test
    void pairwiseVariantsRoundTripAndTheirFc1ShapeIsChecked() throws IOException {
        for (StateRepresentation rep : new StateRepresentation[] {StateRepresentation.P, StateRepresentation.U}) {
            ActorSettings settings = TestSettings.actor()
                    .embeddingDim(3)
                    .hiddenDim(4)
                    .windowSize(3)
                    .stateRepresentation(rep)
                    .build();
            ActorWeights base = ActorWeights.seeded(settings, CATALOG);
            assertThat(base.tensorShape(ActorWeights.FC1_WEIGHT)).containsExactly(4, 18);
            byte[] json = ActorWeightsCodec.encode(base);
            assertThat(TopicSchemas.violations("actor-weights", json)).isEmpty();
            assertThat(ActorWeightsCodec.decodeFull(json)).isEqualTo(base);

            ActorWeights next = ActorTestData.randomised(base, 3);
            ActorWeightsDelta delta = ActorWeightsDelta.between(base, next);
            assertThat(delta.stateRepresentation()).isEqualTo(rep);
            byte[] deltaJson = ActorWeightsCodec.encodeDelta(delta);
            assertThat(TopicSchemas.violations("actor-weights", deltaJson)).isEmpty();
            assertThat(ActorWeightsCodec.applyTo(base, deltaJson)).isEqualTo(next);

            // Without the field the document reads as DRR-ave, whose fc1 is [4, 9]: rejected by shape.
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(json);
            doc.remove("stateRepresentation");
            byte[] stripped = Json.MAPPER.writeValueAsBytes(doc);
            assertThatThrownBy(() -> ActorWeightsCodec.decodeFull(stripped)).hasMessageContaining("mlp.fc1.weight");
        }
        // DRR-ave documents do not carry the field (unchanged format and checksum).
        assertThat(new String(
                        ActorWeightsCodec.encode(ActorWeights.seeded(
                                TestSettings.actor()
                                        .embeddingDim(3)
                                        .hiddenDim(4)
                                        .windowSize(3)
                                        .build(),
                                CATALOG)),
                        java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("stateRepresentation");
    }
}
