package io.streamrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StartTimeTest {
    @Test
    void acceptsEpochSecondsDatesDateTimesAndInstants() throws Exception {
        assertThat(StartTime.parseMillis("946684800")).isEqualTo(946_684_800_000L);
        assertThat(StartTime.parseMillis("2000-01-01")).isEqualTo(946_684_800_000L);
        assertThat(StartTime.parseMillis("2000-01-01T01:00:00")).isEqualTo(946_688_400_000L);
        assertThat(StartTime.parseMillis("2000-01-01T01:00:00Z")).isEqualTo(946_688_400_000L);
        assertThat(StartTime.parseMillis("2000-01-01T02:00:00+01:00")).isEqualTo(946_688_400_000L);
    }

    @Test
    void rejectsAnythingElseWithAHelpfulMessage() {
        assertThatThrownBy(() -> StartTime.parseMillis("yesterday"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> StartTime.parseMillis("2000-13-01")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> StartTime.parseMillis("99999999999999999999")).isInstanceOf(UsageException.class);
    }
}
