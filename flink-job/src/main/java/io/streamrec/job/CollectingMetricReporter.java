package io.streamrec.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for a MiniCluster in the same JVM (tests, the benchmark harness): keeps every registered
 * counter and gauge so the caller can read the job's real metrics (e.g. {@code actorWeightsRejected},
 * {@code trainSteps}) while it runs. Registered through META-INF/services; active only once {@link #enable} names it
 * in the Flink configuration.
 */
public final class CollectingMetricReporter implements MetricReporter, MetricReporterFactory {
    private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    /** Registers this reporter in a Flink configuration. */
    public static Configuration enable(Configuration flink) {
        flink.setString("metrics.reporter.collect.factory.class", CollectingMetricReporter.class.getName());
        return flink;
    }

    /** The sum over all subtasks of the counters and numeric gauges named {@code name} (0 when none is registered). */
    public static long sum(String name) {
        return sum("", name);
    }

    /** As {@link #sum(String)}, only over metrics whose identifier contains {@code scope} (e.g. a job name). */
    public static long sum(String scope, String name) {
        long total = 0;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (!e.getKey().endsWith("." + name) || !e.getKey().contains(scope)) continue;
            Metric m = e.getValue();
            if (m instanceof Counter c) total += c.getCount();
            else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) total += n.longValue();
        }
        return total;
    }

    /** The current values of the numeric gauges named {@code name}, one per subtask that registered one. */
    public static List<Double> gaugeValues(String name) {
        List<Double> values = new ArrayList<>();
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (e.getKey().endsWith("." + name)
                    && e.getValue() instanceof Gauge<?> g
                    && g.getValue() instanceof Number n) values.add(n.doubleValue());
        }
        return values;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new CollectingMetricReporter();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(metricName), metric);
    }

    /** Whether a metric of that name is registered within {@code scope}. */
    public static boolean has(String scope, String name) {
        return METRICS.keySet().stream().anyMatch(k -> k.endsWith("." + name) && k.contains(scope));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(metricName), metric);
    }
}
