package io.streamrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Float32Base64Test {
    private static final float[] AWKWARD = {
        -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, 1f / 3, 1e-40f, -1.5f, Float.NaN, Float.NEGATIVE_INFINITY
    };

    @Test
    void roundTripsEveryBitPattern() {
        float[] back = Float32Base64.decode(Float32Base64.encode(AWKWARD));
        assertThat(back).hasSize(AWKWARD.length);
        for (int i = 0; i < AWKWARD.length; i++)
            assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(AWKWARD[i]));
        // little-endian: 1.0f is 00 00 80 3f
        assertThat(Float32Base64.encode(new float[] {1f})).isEqualTo("AACAPw==");
    }

    @Test
    void aTransitionsActionIsOneStringAndAnArrayIsStillRead() throws Exception {
        Transition t = new Transition();
        t.requestId = "1-2";
        t.userId = 1;
        t.policy = "drr";
        t.action = new float[] {0.25f, -1f, 1f / 3};
        t.state = new Transition.UserState(1, new int[] {5});
        t.nextState = new Transition.UserState(1, new int[] {5, 7});
        byte[] json = Json.write(t);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"action\":\"" + Float32Base64.encode(t.action) + "\"");
        assertThat(Json.read(json, Transition.class).action).containsExactly(t.action);

        String asArray = text.replace("\"" + Float32Base64.encode(t.action) + "\"", "[0.25,-1.0,0.33333334]");
        assertThat(Json.read(asArray.getBytes(StandardCharsets.UTF_8), Transition.class).action)
                .containsExactly(t.action);

        String ragged = text.replace(Float32Base64.encode(t.action), "AAAAAAA=");
        assertThatThrownBy(() -> Json.read(ragged.getBytes(StandardCharsets.UTF_8), Transition.class))
                .hasMessageContaining("not a multiple of 4");
    }
}
