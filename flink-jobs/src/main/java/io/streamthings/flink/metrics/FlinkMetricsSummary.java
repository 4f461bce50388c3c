package io.streamthings.flink.metrics;

import io.streamthings.flink.realtime.RealtimeJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The few figures of the real-time job worth watching, summed over subtasks from {@link SnapshotMetricReporter}:
 * records in and out, Kafka lag, the last checkpoint's duration, late and undecodable records, InfluxDB points.
 */
public final class FlinkMetricsSummary {

    /** The names of {@link #realtimeJob()}, in order. */
    public static final String[] NAMES = {
        "recordsIn", "aggregatesOut", "kafkaLagRecords", "lastCheckpointDurationMs", "completedCheckpoints",
        "failedCheckpoints", "lateRecords", "undecodableRecords", "influxPointsWritten", "influxPointsRejected"};

    private FlinkMetricsSummary() {
    }

    /**
     * The summary of the real-time job in this JVM; a figure is 0 while no metric of that name exists yet.
     *
     * <ul>
     * <li>{@code recordsIn}: records read from {@code telemetry.raw} (the source's {@code numRecordsIn});</li>
     * <li>{@code aggregatesOut}: window aggregates emitted ({@code numRecordsOut} of the window operator);</li>
     * <li>{@code kafkaLagRecords}: records not yet read ({@code pendingRecords} of the source);</li>
     * <li>{@code lastCheckpointDurationMs}, {@code completedCheckpoints}, {@code failedCheckpoints}: from the
     * JobManager;</li>
     * <li>{@code lateRecords}, {@code undecodableRecords}, {@code influxPointsWritten}, {@code influxPointsRejected}:
     * the job's own counters.</li>
     * </ul>
     */
    public static Map<String, Number> realtimeJob() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("recordsIn", sum("numRecordsIn", operator(RealtimeJob.SOURCE_NAME)));
        m.put("aggregatesOut", sum("numRecordsOut", operator(RealtimeJob.WINDOW_NAME)));
        m.put("kafkaLagRecords", sum("pendingRecords", v -> true));
        m.put("lastCheckpointDurationMs", max("lastCheckpointDuration"));
        m.put("completedCheckpoints", max("numberOfCompletedCheckpoints"));
        m.put("failedCheckpoints", max("numberOfFailedCheckpoints"));
        m.put("lateRecords", sum("lateRecords", v -> true));
        m.put("undecodableRecords", sum("undecodableRecords", v -> true));
        m.put("influxPointsWritten", sum("influxPointsWritten", v -> true));
        m.put("influxPointsRejected", sum("influxPointsRejected", v -> true));
        return m;
    }

    /** Matches an operator by its name; Flink names a source's operator {@code "Source: " + name}. */
    public static Predicate<Map<String, String>> operator(String name) {
        return v -> name.equals(v.get("<operator_name>")) || ("Source: " + name).equals(v.get("<operator_name>"));
    }

    private static long sum(String metric, Predicate<Map<String, String>> where) {
        long total = 0;
        for (SnapshotMetricReporter.Registered r : SnapshotMetricReporter.metrics().values()) {
            if (r.name().equals(metric) && where.test(r.variables())) {
                Number v = r.value();
                if (v != null && v.longValue() > 0) {
                    total += v.longValue();
                }
            }
        }
        return total;
    }

    private static long max(String metric) {
        long best = 0;
        for (SnapshotMetricReporter.Registered r : SnapshotMetricReporter.metrics().values()) {
            if (r.name().equals(metric)) {
                Number v = r.value();
                if (v != null) {
                    best = Math.max(best, v.longValue());
                }
            }
        }
        return best;
    }
}
