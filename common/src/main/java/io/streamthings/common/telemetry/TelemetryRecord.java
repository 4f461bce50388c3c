package io.streamthings.common.telemetry;

import java.util.Map;
import java.util.Objects;

/**
 * One telemetry record as a device sends it: a time, named numeric readings and optional string tags.
 *
 * <p>Wire form (see {@link TelemetryCodec}):
 * <pre>{"ts": 1764131000123, "metrics": {"temperature": 21.5, "humidity": 40.2}, "tags": {"site": "plant-a"}}</pre>
 *
 * <p>A record is always sound, however it was built: it has at least one metric, every metric name and tag key
 * matches {@code [A-Za-z0-9_.-]+}, every value is a finite double, tag values are well-formed Unicode strings and no
 * tag poses as the device identity ({@code tenant}, {@code deviceType}, {@code deviceId}). The configurable
 * {@link TelemetryLimits} (counts, lengths, time window) are applied by the decoder at the edge, not here.
 *
 * @param ts the time of the readings, epoch milliseconds (UTC)
 * @param metrics metric name to value, in the order given; copied, unmodifiable, never empty
 * @param tags tag key to value, in the order given; copied, unmodifiable, empty when there are none
 */
public record TelemetryRecord(long ts, Map<String, Double> metrics, Map<String, String> tags) {

    /**
     * Validates and copies the maps.
     *
     * @param tags null is taken as no tags
     * @throws NullPointerException when {@code metrics} is null
     * @throws TelemetryValidationException when {@code metrics} is empty, a name or key breaks the rules above, a
     *     metric value is null, NaN or infinite, or a tag value is null or not well-formed Unicode
     */
    public TelemetryRecord {
        metrics = Rules.copyMetrics(Objects.requireNonNull(metrics, "metrics"));
        tags = Rules.copyTags(tags);
    }

    /**
     * A record without tags.
     *
     * @see #TelemetryRecord(long, Map, Map)
     */
    public static TelemetryRecord of(long ts, Map<String, Double> metrics) {
        return new TelemetryRecord(ts, metrics, Map.of());
    }
}
