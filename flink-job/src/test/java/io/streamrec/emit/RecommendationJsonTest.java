package io.streamrec.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.Json;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import io.streamrec.schema.TopicSchemas;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecommendationJsonTest {

    @Test
    void writesExactlyWhatTheDataBindMappingWrites() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n = 0; n < 200; n++) {
            Recommendation r = new Recommendation();
            r.requestId = rnd.nextInt(10) == 0
                    ? null
                    : rnd.nextInt(6040) + "-" + rnd.nextInt(4000) + "-" + rnd.nextLong(1L << 42);
            r.userId = rnd.nextInt(-5, 1 << 30);
            r.policy = rnd.nextBoolean() ? "drr" : "tricky \"policy\" \\ ü \u0001";
            r.modelVersion = rnd.nextLong();
            r.eventTime = rnd.nextLong();
            r.emitTime = rnd.nextLong();
            r.items = rnd.nextInt(20) == 0 ? null : new ArrayList<>();
            int k = rnd.nextInt(12);
            for (int j = 0; r.items != null && j < k; j++) {
                float score =
                        switch (rnd.nextInt(8)) {
                            case 0 -> Float.NaN;
                            case 1 -> Float.NEGATIVE_INFINITY;
                            case 2 -> -0f;
                            case 3 -> Float.MIN_VALUE;
                            default -> (float) rnd.nextDouble(-3, 3);
                        };
                RecommendedItem item = new RecommendedItem(
                        rnd.nextInt(1 << 20),
                        score,
                        rnd.nextBoolean() ? null : "Movie \"" + j + "\" (1999) – é",
                        rnd.nextBoolean() ? null : List.of("Drama", "Sci-Fi"));
                item.explored = rnd.nextBoolean();
                r.items.add(item);
            }
            assertThat(new String(RecommendationJson.write(r), StandardCharsets.UTF_8))
                    .isEqualTo(new String(Json.write(r), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTypicalSlateIsValidAgainstTheTopicSchema() {
        Recommendation r = new Recommendation();
        r.requestId = "1-2-3";
        r.userId = 1;
        r.policy = "drr";
        r.items.add(new RecommendedItem(7, 0.5f, "Toy Story (1995)", List.of("Animation")));
        assertThat(TopicSchemas.violations("recommendations", RecommendationJson.write(r)))
                .isEmpty();
    }
}
