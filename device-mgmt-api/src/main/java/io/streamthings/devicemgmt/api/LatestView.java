package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The latest value of each metric a device sent within the lookback.
 *
 * @param deviceId the device
 * @param metrics metric name to its latest reading, by name; empty when the device sent nothing lately
 */
@Schema(name = "LatestValues")
public record LatestView(String deviceId, Map<String, Reading> metrics) {

    /** Copies the metrics. */
    public LatestView {
        metrics = Map.copyOf(metrics);
    }

    /**
     * One reading.
     *
     * @param ts when it was measured, epoch ms
     * @param value the value
     */
    @Schema(name = "Reading")
    public record Reading(long ts, double value) {}
}
