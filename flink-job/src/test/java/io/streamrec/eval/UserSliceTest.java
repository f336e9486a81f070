package io.streamrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UserSliceTest {
    @Test
    void aFixedFractionOfUsersChosenByTheirIdAlone() {
        UserSlice tenth = new UserSlice(0.1);
        long in = IntStream.rangeClosed(1, 100_000).filter(tenth::contains).count();
        assertThat(in).isBetween(9_500L, 10_500L);
        // Deterministic, and nested: a user in the 10 % slice is in the 50 % slice too.
        UserSlice half = new UserSlice(0.5);
        IntStream.rangeClosed(1, 10_000).forEach(u -> {
            assertThat(new UserSlice(0.1).contains(u)).isEqualTo(tenth.contains(u));
            if (tenth.contains(u)) assertThat(half.contains(u)).isTrue();
        });
        assertThat(IntStream.rangeClosed(1, 1000).allMatch(UserSlice.ALL::contains))
                .isTrue();
        assertThatThrownBy(() -> new UserSlice(0)).hasMessageContaining("eval.sample");
        assertThatThrownBy(() -> new UserSlice(1.5)).hasMessageContaining("eval.sample");
    }
}
