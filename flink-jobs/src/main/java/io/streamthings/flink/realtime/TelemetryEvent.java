package io.streamthings.flink.realtime;

import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.telemetry.StampedTelemetry;
import java.util.Map;

/**
 * A stamped telemetry record in the flat form the job carries between operators: names and values in parallel arrays,
 * so that Flink serializes it with its own POJO and array serializers rather than falling back to Kryo for the record's
 * maps.
 *
 * @param tenant the tenant of the device
 * @param deviceType the device's type
 * @param deviceId the device id
 * @param receivedAt when ingest received the record, epoch ms
 * @param ts the record's event time, epoch ms
 * @param metricNames metric names, parallel to {@code metricValues}
 * @param metricValues metric values
 * @param tagKeys tag keys, parallel to {@code tagValues}
 * @param tagValues tag values
 */
public record TelemetryEvent(String tenant, String deviceType, String deviceId, long receivedAt, long ts,
        String[] metricNames, double[] metricValues, String[] tagKeys, String[] tagValues) {

    /** The flat form of a decoded record. */
    public static TelemetryEvent from(StampedTelemetry stamped) {
        Map<String, Double> metrics = stamped.record().metrics();
        String[] names = new String[metrics.size()];
        double[] values = new double[metrics.size()];
        int i = 0;
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            names[i] = m.getKey();
            values[i] = m.getValue();
            i++;
        }
        Map<String, String> tags = stamped.record().tags();
        String[] keys = new String[tags.size()];
        String[] tagValues = new String[tags.size()];
        i = 0;
        for (Map.Entry<String, String> t : tags.entrySet()) {
            keys[i] = t.getKey();
            tagValues[i] = t.getValue();
            i++;
        }
        return new TelemetryEvent(stamped.tenant(), stamped.deviceType(), stamped.deviceId(), stamped.receivedAt(),
                stamped.record().ts(), names, values, keys, tagValues);
    }

    /** The value of a tag, or null when the record has no such tag. */
    public String tag(String key) {
        for (int i = 0; i < tagKeys.length; i++) {
            if (tagKeys[i].equals(key)) {
                return tagValues[i];
            }
        }
        return null;
    }

    /** {@code tenant/deviceId}: the key of the device's state. */
    public String deviceKey() {
        return DeviceKey.of(tenant, deviceId).toString();
    }
}
