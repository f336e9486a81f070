package io.streamrec.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter (registered through META-INF/services, enabled by {@link #configure}) that hands the
 * learner operator's gauges to the harness in the same JVM, so learner steps/s is read from the learner's own
 * counters ({@code trainSteps}, {@code droppedSteps}) rather than inferred from the published versions.
 */
public final class LearnerProbe implements MetricReporter, MetricReporterFactory {
    private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    /** Adds this reporter to a Flink configuration (the MiniCluster's). */
    static void configure(org.apache.flink.configuration.Configuration conf) {
        conf.setString("metrics.reporters", "bench");
        conf.setString("metrics.reporter.bench.factory.class", LearnerProbe.class.getName());
    }

    /** Forgets the gauges of an earlier job. */
    static void reset() {
        GAUGES.clear();
    }

    /** The learner's gauge {@code name} as a long, or -1 while the learner has not registered it. */
    static long read(String name) {
        Gauge<?> g = GAUGES.get(name);
        if (g == null) return -1;
        try {
            Object v = g.getValue();
            return v instanceof Number n ? n.longValue() : -1;
        } catch (RuntimeException e) { // the learner is not initialised yet
            return -1;
        }
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new LearnerProbe();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        // The learner is the only operator with these gauge names (LearnerFunction#open).
        if (metric instanceof Gauge<?> g && (metricName.equals("trainSteps") || metricName.equals("droppedSteps"))) {
            GAUGES.put(metricName, g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}
}
