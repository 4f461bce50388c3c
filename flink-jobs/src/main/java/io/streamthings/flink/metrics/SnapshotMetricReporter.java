package io.streamthings.flink.metrics;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps a live view of every metric registered in this JVM, so that code running beside a
 * local MiniCluster (the standalone launcher, tests, benchmarks) can read Flink's own metrics without an HTTP round
 * trip. Enable it with {@link #configure(org.apache.flink.configuration.Configuration)}; read it through
 * {@link #metrics()} or the summaries of {@link FlinkMetricsSummary}.
 *
 * <p>Only useful where the cluster runs in the same JVM; on a real cluster use one of Flink's reporters (Prometheus,
 * JMX, ...).
 */
public final class SnapshotMetricReporter implements MetricReporter {

    /** The reporter's name in the Flink configuration. */
    public static final String NAME = "streamthings";

    /** Every registered metric by its fully scoped identifier. */
    private static final Map<String, Registered> METRICS = new ConcurrentHashMap<>();

    /** A registered metric with the variables of its group ({@code <operator_name>}, {@code <subtask_index>}, ...). */
    public record Registered(String name, Map<String, String> variables, Metric metric) {

        /** The current value: a counter's count, a gauge's value, a meter's rate; null when not numeric. */
        public Number value() {
            if (metric instanceof Counter c) {
                return c.getCount();
            }
            if (metric instanceof Meter m) {
                return m.getRate();
            }
            if (metric instanceof Gauge<?> g) {
                Object v = g.getValue();
                return v instanceof Number n ? n : null;
            }
            return null;
        }
    }

    /** Adds this reporter to a cluster configuration (the MiniCluster's, before it starts). */
    public static void configure(org.apache.flink.configuration.Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
        // Gauges are read live; the interval only matters to Flink's scheduling of report(), a no-op here.
        conf.setString("metrics.reporter." + NAME + ".interval", "60 s");
    }

    /** A live, unmodifiable view of the registered metrics. */
    public static Map<String, Registered> metrics() {
        return java.util.Collections.unmodifiableMap(METRICS);
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(metricName), new Registered(metricName, group.getAllVariables(), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(metricName));
    }

    /** Loaded by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SnapshotMetricReporter();
        }
    }
}
