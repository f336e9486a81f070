package io.streamrec.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses a replay start point: epoch seconds, an ISO-8601 date, local date-time (UTC) or instant/offset date-time. */
final class StartTime {
    private StartTime() {}

    /** Epoch milliseconds of {@code text}. */
    static long parseMillis(String text) throws UsageException {
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            // Epoch seconds, like the MovieLens files themselves.
            try {
                return Math.multiplyExact(Long.parseLong(t), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new UsageException("--start-time out of range: " + text);
            }
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            }
            if (t.endsWith("Z") || t.endsWith("z")) {
                return Instant.parse(t.toUpperCase(java.util.Locale.ROOT)).toEpochMilli();
            }
            if (t.matches(".*[+-]\\d\\d:?\\d\\d$") && t.indexOf('T') > 0) {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new UsageException("--start-time must be epoch seconds, an ISO-8601 date (2000-01-01), date-time"
                    + " (2000-01-01T12:00:00, UTC) or instant (2000-01-01T12:00:00Z), got '" + text + "'");
        }
    }
}
