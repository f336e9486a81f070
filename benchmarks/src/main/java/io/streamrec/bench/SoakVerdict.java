package io.streamrec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a soak held: judged on its minutes after the warm-up, never on memory alone. It fails when a minute's answers
 * fall below 95 % of the rate, when less than 99.9 % of all ratings sent were answered by the end, when a minute's p99
 * latency passes 500 ms, when dead letters appear that the input did not plant, when the job restarts or leaves
 * RUNNING, or when the job's resident set at the end is more than 5 % above its level at minute 10 (the first minute
 * after the warm-up in a shorter run). A stalled job — RUNNING, no restart, nothing answered — fails on its answers.
 */
final class SoakVerdict {
    /** Minutes before the first judged one: JIT, the learner's first steps, the caches filling, the first backlog. */
    static final int WARM_UP_MINUTES = 3;

    static final double MIN_ANSWER_SHARE_PER_MINUTE = 0.95;
    static final double MIN_ANSWERED_OVERALL = 0.999;
    static final long MAX_P99_MS = 500;
    static final double MAX_RSS_GROWTH = 0.05;
    static final int RSS_BASE_MINUTE = 10;

    /**
     * One minute of a soak.
     *
     * @param answered     slates read so far (cumulative)
     * @param p99Ms        p99 latency of the minute's answers, rating append → slate read (null: none answered)
     * @param jobRssMb     resident set of the job's process (the broker runs in a process of its own)
     * @param deadLetters  records on the dead-letter topic so far (cumulative)
     * @param restarts     the job's restarts so far
     */
    record Minute(
            int minute,
            long sent,
            long answered,
            double answeredPerSecond,
            Long p50Ms,
            Long p99Ms,
            long jobRssMb,
            long heapUsedMb,
            long brokerRssMb,
            long deadLetters,
            long restarts,
            String jobStatus) {}

    /** One criterion and how the run fared on it. */
    record Check(String name, boolean ok, String detail) {
        @Override
        public String toString() {
            return (ok ? "ok    " : "FAILED") + "  " + name + ": " + detail;
        }
    }

    private SoakVerdict() {}

    /**
     * @param finalAnswered slates read once the producer stopped and the answers drained
     * @param planted       dead letters the input planted on purpose (0 for a clean stream)
     */
    static List<Check> judge(List<Minute> minutes, int rate, long finalAnswered, long planted) {
        List<Check> checks = new ArrayList<>();
        if (minutes.isEmpty()) {
            checks.add(new Check("minutes", false, "no minute was recorded"));
            return checks;
        }
        List<Minute> judged = minutes.size() > WARM_UP_MINUTES
                ? minutes.subList(WARM_UP_MINUTES, minutes.size())
                : minutes.subList(minutes.size() - 1, minutes.size());
        List<String> slow = new ArrayList<>(), late = new ArrayList<>();
        for (Minute m : judged) {
            if (m.answeredPerSecond() < MIN_ANSWER_SHARE_PER_MINUTE * rate)
                slow.add(String.format(Locale.ROOT, "minute %d %.0f/s", m.minute(), m.answeredPerSecond()));
            if (m.p99Ms() == null || m.p99Ms() > MAX_P99_MS)
                late.add("minute " + m.minute() + " " + (m.p99Ms() == null ? "none answered" : m.p99Ms() + " ms"));
        }
        checks.add(new Check(
                "answers per minute ≥ 95 % of " + rate + "/s after the warm-up",
                slow.isEmpty(),
                slow.isEmpty() ? judged.size() + " minutes judged" : String.join(", ", first(slow))));
        Minute last = minutes.get(minutes.size() - 1);
        double share = last.sent() == 0 ? 0 : (double) finalAnswered / last.sent();
        checks.add(new Check(
                "≥ 99.9 % of all ratings answered",
                share >= MIN_ANSWERED_OVERALL,
                String.format(Locale.ROOT, "%,d of %,d (%.3f %%)", finalAnswered, last.sent(), 100 * share)));
        checks.add(new Check(
                "p99 ≤ " + MAX_P99_MS + " ms in every minute after the warm-up",
                late.isEmpty(),
                late.isEmpty() ? "worst " + worstP99(judged) + " ms" : String.join(", ", first(late))));
        long unplanted = last.deadLetters() - planted;
        checks.add(new Check(
                "no dead letters the input did not plant",
                unplanted == 0,
                last.deadLetters() + " on the dead-letter topic, " + planted + " planted"));
        boolean restarted = minutes.stream().anyMatch(m -> m.restarts() > 0 || !"RUNNING".equals(m.jobStatus()));
        checks.add(new Check(
                "no restart, RUNNING throughout",
                !restarted,
                "restarts " + last.restarts() + ", last status " + last.jobStatus()));
        Minute base = minutes.size() > RSS_BASE_MINUTE
                ? minutes.get(RSS_BASE_MINUTE - 1)
                : minutes.get(Math.min(WARM_UP_MINUTES, minutes.size() - 1));
        double growth = base.jobRssMb() > 0 ? (last.jobRssMb() - base.jobRssMb()) / (double) base.jobRssMb() : 0;
        checks.add(new Check(
                "job RSS at the end within 5 % of minute " + base.minute(),
                growth <= MAX_RSS_GROWTH,
                String.format(
                        Locale.ROOT,
                        "%,d MB → %,d MB at minute %d (%+.1f %%)",
                        base.jobRssMb(),
                        last.jobRssMb(),
                        last.minute(),
                        100 * growth)));
        return checks;
    }

    static boolean passed(List<Check> checks) {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    private static long worstP99(List<Minute> minutes) {
        return minutes.stream()
                .map(Minute::p99Ms)
                .filter(p -> p != null)
                .mapToLong(Long::longValue)
                .max()
                .orElse(-1);
    }

    private static List<String> first(List<String> items) {
        if (items.size() <= 5) return items;
        List<String> out = new ArrayList<>(items.subList(0, 5));
        out.add("… " + (items.size() - 5) + " more");
        return out;
    }
}
