package io.streamthings.rules.engine;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.rules.compile.TelemetryAttribute;
import java.util.List;
import java.util.Map;

/**
 * Turns a telemetry record into a {@code TelemetryStream} event of one rule: the attribute values in declared order.
 * Runs for every record and every rule, so the attribute layout is resolved once, up front.
 */
final class TelemetryAdapter {

    private final int size;
    /** Positions and names of the declared metrics: looked up first, so a record lacking one costs little. */
    private final int[] metricPositions;
    private final String[] metricNames;
    private final int[] tagPositions;
    private final String[] tagNames;
    private final int deviceId;
    private final int deviceType;
    private final int ts;

    TelemetryAdapter(List<TelemetryAttribute> attributes) {
        size = attributes.size();
        int metrics = 0;
        int tags = 0;
        for (TelemetryAttribute a : attributes) {
            if (a.kind() == TelemetryAttribute.Kind.METRIC) {
                metrics++;
            } else if (a.kind() == TelemetryAttribute.Kind.TAG) {
                tags++;
            }
        }
        metricPositions = new int[metrics];
        metricNames = new String[metrics];
        tagPositions = new int[tags];
        tagNames = new String[tags];
        int deviceIdAt = -1;
        int deviceTypeAt = -1;
        int tsAt = -1;
        metrics = 0;
        tags = 0;
        for (int i = 0; i < size; i++) {
            TelemetryAttribute a = attributes.get(i);
            switch (a.kind()) {
                case METRIC -> {
                    metricPositions[metrics] = i;
                    metricNames[metrics++] = a.name();
                }
                case TAG -> {
                    tagPositions[tags] = i;
                    tagNames[tags++] = a.name();
                }
                case DEVICE_ID -> deviceIdAt = i;
                case DEVICE_TYPE -> deviceTypeAt = i;
                case TS -> tsAt = i;
                default -> throw new IllegalArgumentException("unknown kind " + a.kind());
            }
        }
        deviceId = deviceIdAt;
        deviceType = deviceTypeAt;
        ts = tsAt;
    }

    /** The event's data in declared attribute order, or null when the record lacks a declared metric. */
    Object[] toEvent(StampedTelemetry telemetry) {
        TelemetryRecord record = telemetry.record();
        Object[] data = new Object[size];
        Map<String, Double> metrics = record.metrics();
        for (int i = 0; i < metricPositions.length; i++) {
            Double value = metrics.get(metricNames[i]);
            if (value == null) {
                return null;
            }
            data[metricPositions[i]] = value;
        }
        if (tagPositions.length > 0) {
            Map<String, String> tags = record.tags();
            for (int i = 0; i < tagPositions.length; i++) {
                // a missing tag is a null string: Siddhi compares it as absent
                data[tagPositions[i]] = tags.get(tagNames[i]);
            }
        }
        if (deviceId >= 0) {
            data[deviceId] = telemetry.deviceId();
        }
        if (deviceType >= 0) {
            data[deviceType] = telemetry.deviceType();
        }
        if (ts >= 0) {
            data[ts] = record.ts();
        }
        return data;
    }
}
