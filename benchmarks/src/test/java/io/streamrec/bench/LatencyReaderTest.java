package io.streamrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.config.StreamrecConfig;
import org.junit.jupiter.api.Test;

class LatencyReaderTest {
    /** A soak's reader forgets ratings no slate answered in time, and only those: it does not grow over hours. */
    @Test
    void forgetsOnlyTheRatingsAppendedBeforeTheCutoff() {
        LatencyReader reader = new LatencyReader("localhost:1", StreamrecConfig.defaults(), Integer.MAX_VALUE, null);
        reader.appended("u1-1", 1_000);
        reader.appended("u1-2", 5_000);
        reader.appended("warm-up", -1);
        reader.appended("u2-1", 9_000);
        assertThat(reader.forgetUnansweredBefore(5_000)).isEqualTo(2);
        assertThat(reader.waiting()).isEqualTo(2);
        assertThat(reader.forgetUnansweredBefore(5_000)).isZero();
        assertThat(reader.forgetUnansweredBefore(10_000)).isEqualTo(2);
        assertThat(reader.waiting()).isZero();
    }
}
