package io.streamrec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the pipeline benchmark reads off records and the JVM: JSON fields without a parse, percentiles, CPU, memory. */
final class Measurements {
    private Measurements() {}

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The requestId field of a recommendation's JSON, without a full parse. */
    static String requestId(byte[] json) {
        String s = new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8);
        int k = s.indexOf("\"requestId\"");
        if (k < 0) return null;
        int q1 = s.indexOf('"', s.indexOf(':', k) + 1);
        int q2 = s.indexOf('"', q1 + 1);
        return q1 < 0 || q2 < 0 ? null : s.substring(q1 + 1, q2);
    }

    static final byte[] EMIT_TIME = "\"emitTime\":".getBytes(StandardCharsets.UTF_8);

    /**
     * The non-negative integer after the last occurrence of {@code key} (e.g. {@code "modelVersion":}) in a JSON
     * document, or -1; scans the bytes backwards without decoding (every output record goes through it, and a
     * recommendation's top-level numbers come after its items). For fields that occur once, or last at the top level.
     */
    static long longField(byte[] json, byte[] key) {
        outer:
        for (int k = json.length - key.length; k >= 0; k--) {
            for (int m = 0; m < key.length; m++) if (json[k + m] != key[m]) continue outer;
            long v = 0;
            int i = k + key.length, j = i;
            while (j < json.length && json[j] >= '0' && json[j] <= '9') v = v * 10 + (json[j++] - '0');
            return j > i ? v : -1;
        }
        return -1;
    }

    static Long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return null;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Peak RSS (VmHWM, reset through /proc/self/clear_refs) and peak heap (pool peaks) of this whole JVM. */
    static final class Memory {
        private static long peakHeap;

        static void reset() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (Exception ignored) {
                // not Linux or not allowed: the peak is then since JVM start
            }
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
            peakHeap = 0;
        }

        static void sample() {
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            peakHeap = Math.max(peakHeap, used);
        }

        static Map<String, Object> peaks() {
            long pools = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP)
                    pools += pool.getPeakUsage().getUsed();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peakRssMb", procStatusKb("VmHWM:") / 1024);
            // Sum of per-pool peaks (an upper bound: pools peak at different moments) and the sampled peak.
            m.put("peakHeapMb", Math.max(pools, peakHeap) >> 20);
            return m;
        }
    }

    /** The current resident set size (VmRSS) of this JVM, in KB; -1 where /proc is not there. */
    static long currentRssKb() {
        return procStatusKb("VmRSS:");
    }

    /** One KB figure of /proc/self/status ({@code VmRSS:}, {@code VmHWM:}); -1 where /proc is not there. */
    private static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    /**
     * Events/s over the first and over the last {@code window} outputs (by broker append time) and their ratio: a
     * pipeline that slows down as its state grows shows a ratio below 1. Empty below two windows of outputs.
     */
    static Map<String, Object> decay(long[] appendTimes, int count, int window) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (count < 2 * window) return m;
        long[] t = Arrays.copyOf(appendTimes, count);
        Arrays.sort(t);
        double firstRate = (window - 1) / (Math.max(1, t[window - 1] - t[0]) / 1000.0);
        double lastRate = (window - 1) / (Math.max(1, t[count - 1] - t[count - window]) / 1000.0);
        m.put("first" + window + "EventsPerSecond", round(firstRate, 0));
        m.put("last" + window + "EventsPerSecond", round(lastRate, 0));
        m.put("lastToFirstRatio", round(lastRate / firstRate, 3));
        return m;
    }
}
