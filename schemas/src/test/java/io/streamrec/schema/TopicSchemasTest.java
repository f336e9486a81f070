package io.streamrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicSchemasTest {

    @Test
    void everyTopicHasALoadableSchema() {
        for (String topic : Topics.ALL)
            assertThat(TopicSchemas.schemaOf(topic)).as(topic).isNotNull();
        assertThatThrownBy(() -> TopicSchemas.schemaOf("nope")).hasMessageContaining("no schema file");
    }

    @Test
    void theJavaTypesSerialiseToSchemaValidJson() {
        assertThat(TopicSchemas.violations("ratings", Json.write(new RatingEvent(1, 2, 4.5f, 881250949000L))))
                .isEmpty();

        Recommendation r = new Recommendation();
        r.requestId = "1-2-881250949000";
        r.userId = 1;
        r.policy = "drr";
        r.modelVersion = 0;
        r.eventTime = 881250949000L;
        r.emitTime = System.currentTimeMillis();
        r.items.add(new RecommendedItem(50, 0.9f, "Star Wars (1977)", List.of("Action", "Sci-Fi")));
        r.items.add(new RecommendedItem(51, 0.8f, null, null));
        assertThat(TopicSchemas.violations("recommendations", Json.write(r))).isEmpty();
    }

    @Test
    void violationsAreReported() {
        assertThat(TopicSchemas.violations("ratings", "{\"userId\":1}".getBytes(StandardCharsets.UTF_8)))
                .isNotEmpty();
        assertThat(TopicSchemas.violations(
                        "ratings",
                        "{\"userId\":0,\"itemId\":2,\"rating\":9,\"timestamp\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(TopicSchemas.violations("ratings", "{{".getBytes(StandardCharsets.UTF_8)))
                .singleElement()
                .asString()
                .startsWith("not JSON");

        Recommendation dup = new Recommendation();
        dup.requestId = "x";
        dup.userId = 1;
        dup.policy = "drr";
        dup.items.add(new RecommendedItem(5, 1f, null, null));
        dup.items.add(new RecommendedItem(5, 1f, null, null));
        assertThat(TopicSchemas.violations("recommendations", Json.write(dup))).isNotEmpty();
    }

    @Test
    void readingIsStrict() {
        assertThatThrownBy(() ->
                        Json.read("{\"userId\":1,\"bogus\":2}".getBytes(StandardCharsets.UTF_8), RatingEvent.class))
                .hasMessageContaining("bogus");
    }
}
