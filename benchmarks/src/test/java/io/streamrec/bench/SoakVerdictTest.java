package io.streamrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.bench.SoakVerdict.Check;
import io.streamrec.bench.SoakVerdict.Minute;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The soak's verdict judges what was answered, not memory alone: a stalled job — RUNNING, never restarted, flat
 * memory, nothing answered — fails, as do unplanted dead letters, a restart, slow minutes and a growing job.
 */
class SoakVerdictTest {
    private static final int RATE = 2000;

    /** {@code n} minutes at the rate, each changed by {@code change} (minute → the minute to use). */
    private static List<Minute> run(int n, IntFunction<Minute> change) {
        List<Minute> out = new ArrayList<>();
        for (int m = 1; m <= n; m++) out.add(change.apply(m));
        return out;
    }

    private static Minute healthy(int m) {
        return new Minute(m, m * 120_000L, m * 120_000L - 200, 2000.0, 30L, 250L, 3000, 900, 700, 0, 0, "RUNNING");
    }

    private static Check check(List<Check> checks, String prefix) {
        return checks.stream()
                .filter(c -> c.name().startsWith(prefix))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aHealthyRunPasses() {
        List<Check> checks = SoakVerdict.judge(run(12, SoakVerdictTest::healthy), RATE, 12 * 120_000L, 0);
        assertThat(SoakVerdict.passed(checks)).as(checks.toString()).isTrue();
    }

    @Test
    void aStalledJobFailsThoughItIsRunningWithoutRestartsAndFlatMemory() {
        // Minutes 1–5 answer; from minute 6 the job answers nothing (the old soak's second pass, dead-lettered).
        List<Minute> minutes = run(
                12,
                m -> m <= 5
                        ? healthy(m)
                        : new Minute(m, m * 120_000L, 5 * 120_000L, 0.0, null, null, 3000, 900, 700, 0, 0, "RUNNING"));
        List<Check> checks = SoakVerdict.judge(minutes, RATE, 5 * 120_000L, 0);
        assertThat(SoakVerdict.passed(checks)).isFalse();
        assertThat(check(checks, "answers per minute").ok()).isFalse();
        assertThat(check(checks, "answers per minute").detail()).startsWith("minute 6 0/s");
        assertThat(check(checks, "≥ 99.9 %").ok()).isFalse();
        assertThat(check(checks, "p99").ok()).isFalse();
        assertThat(check(checks, "no restart").ok()).isTrue();
        assertThat(check(checks, "job RSS").ok()).isTrue();
    }

    @Test
    void unplantedDeadLettersARestartSlowMinutesAndGrowthEachFail() {
        List<Minute> dead = run(12, m -> {
            Minute h = healthy(m);
            return new Minute(m, h.sent(), h.answered(), 2000, 30L, 250L, 3000, 900, 700, m * 10L, 0, "RUNNING");
        });
        assertThat(check(SoakVerdict.judge(dead, RATE, 12 * 120_000L, 0), "no dead letters")
                        .ok())
                .isFalse();
        assertThat(check(SoakVerdict.judge(dead, RATE, 12 * 120_000L, 120), "no dead letters")
                        .ok())
                .isTrue();

        List<Minute> restarted = run(12, m -> {
            Minute h = healthy(m);
            return new Minute(m, h.sent(), h.answered(), 2000, 30L, 250L, 3000, 900, 700, 0, m > 8 ? 1 : 0, "RUNNING");
        });
        assertThat(check(SoakVerdict.judge(restarted, RATE, 12 * 120_000L, 0), "no restart")
                        .ok())
                .isFalse();

        List<Minute> slow = run(12, m -> {
            Minute h = healthy(m);
            return new Minute(
                    m,
                    h.sent(),
                    h.answered(),
                    m == 9 ? 1800 : 2000,
                    30L,
                    m == 10 ? 900L : 250L,
                    3000,
                    900,
                    700,
                    0,
                    0,
                    "RUNNING");
        });
        List<Check> slowChecks = SoakVerdict.judge(slow, RATE, 12 * 120_000L, 0);
        assertThat(check(slowChecks, "answers per minute").ok()).isFalse();
        assertThat(check(slowChecks, "p99").detail()).contains("minute 10 900 ms");

        // warm-up minutes are not judged: a slow first minute passes
        List<Minute> warm = run(12, m -> {
            Minute h = healthy(m);
            return new Minute(
                    m,
                    h.sent(),
                    h.answered(),
                    m == 1 ? 900 : 2000,
                    30L,
                    m == 1 ? 4000L : 250L,
                    3000,
                    900,
                    700,
                    0,
                    0,
                    "RUNNING");
        });
        assertThat(SoakVerdict.passed(SoakVerdict.judge(warm, RATE, 12 * 120_000L, 0)))
                .isTrue();

        // the job grows 8 % from minute 10 to minute 30: fails; 3 %: passes
        for (double growth : new double[] {0.08, 0.03}) {
            List<Minute> growing = run(30, m -> {
                Minute h = healthy(m);
                long rss = m <= 10 ? 3000 : Math.round(3000 * (1 + growth * (m - 10) / 20.0));
                return new Minute(m, h.sent(), h.answered(), 2000, 30L, 250L, rss, 900, 700, 0, 0, "RUNNING");
            });
            assertThat(check(SoakVerdict.judge(growing, RATE, 30 * 120_000L, 0), "job RSS")
                            .ok())
                    .as("growth %.2f", growth)
                    .isEqualTo(growth < 0.05);
        }
    }

    @Test
    void theRampRisesFromAQuarterToTheRateAndThenHoldsIt() {
        SoakBench.SendSchedule ramp = new SoakBench.SendSchedule(RATE, 120);
        // events due in each of the first 10 s and in a second after the ramp
        long firstSecond = countDue(ramp, 0, 1);
        long afterRamp = countDue(ramp, 200, 201);
        assertThat(firstSecond).isBetween(490L, 530L); // a quarter of 2,000, rising
        assertThat(afterRamp).isBetween(1_999L, 2_001L);
        // the ramp sends (1 + 1/4)/2 of the full rate's events over its 120 s, and is monotone
        assertThat(ramp.nanosUntil(150_000)).isBetween(119_999_000_000L, 120_001_000_000L);
        long previous = -1;
        for (long i = 0; i < 300_000; i += 997) {
            assertThat(ramp.nanosUntil(i)).isGreaterThan(previous);
            previous = ramp.nanosUntil(i);
        }
        // no ramp: the i-th event is due at i / rate
        assertThat(new SoakBench.SendSchedule(RATE, 0).nanosUntil(3_000)).isEqualTo(1_500_000_000L);
    }

    /** Events due in [from, to) seconds. */
    private static long countDue(SoakBench.SendSchedule s, int from, int to) {
        long n = 0;
        for (long i = 0; ; i++) {
            long t = s.nanosUntil(i);
            if (t >= to * 1_000_000_000L) return n;
            if (t >= from * 1_000_000_000L) n++;
        }
    }
}
